import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  StoreNotConfiguredError,
  findLocalStack,
  isStoreUnreachable,
  resolveStore,
} from "../../../runtime/core/audit/audit-store";

describe("resolveStore", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-audit-store-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("flags win over the environment, connection strings over URLs", () => {
    const env = {
      GATEHOUSE_STORAGE_CONNECTION_STRING: "env-cs",
      GATEHOUSE_STORAGE_BLOB_URL: "https://env.blob.core.windows.net",
    };
    expect(resolveStore({ connectionString: "flag-cs", blobUrl: "https://x" }, env, dir)).toMatchObject({
      kind: "connection-string",
      value: "flag-cs",
      source: "flag",
    });
    expect(resolveStore({ blobUrl: "https://flag.blob.core.windows.net" }, env, dir)).toMatchObject({
      kind: "blob-url",
      source: "flag",
    });
    expect(resolveStore({}, env, dir)).toMatchObject({ kind: "connection-string", value: "env-cs", source: "env" });
    expect(resolveStore({}, { GATEHOUSE_STORAGE_BLOB_URL: "https://env.blob.core.windows.net" }, dir)).toMatchObject({
      kind: "blob-url",
      source: "env",
    });
  });

  test("then the nearest .gatehouse/local-stack.json from the working directory up, else a helpful error", () => {
    const nested = path.join(dir, "a", "b");
    fs.mkdirSync(nested, { recursive: true });
    expect(() => resolveStore({}, {}, nested)).toThrow(StoreNotConfiguredError);
    fs.mkdirSync(path.join(dir, ".gatehouse"));
    fs.writeFileSync(
      path.join(dir, ".gatehouse", "local-stack.json"),
      JSON.stringify({ storageConnectionString: "local-cs", gatewayUrl: "http://127.0.0.1:8080" }),
    );
    expect(resolveStore({}, {}, nested)).toEqual({
      kind: "connection-string",
      value: "local-cs",
      source: "local-stack",
    });
  });

  test("GATEHOUSE_HOME names the local stack's folder, and its recorded public key comes along", () => {
    const home = path.join(dir, "home");
    fs.mkdirSync(home);
    const jwk = { kty: "EC", crv: "P-256", x: "x", y: "y", kid: "k1" };
    fs.writeFileSync(
      path.join(home, "local-stack.json"),
      JSON.stringify({ storageConnectionString: "home-cs", signingPublicJwk: jwk }),
    );
    expect(resolveStore({}, { GATEHOUSE_HOME: home }, os.tmpdir())).toMatchObject({
      value: "home-cs",
      source: "local-stack",
    });
    expect(findLocalStack({ GATEHOUSE_HOME: home }, os.tmpdir())).toMatchObject({
      storageConnectionString: "home-cs",
      signingPublicJwk: jwk,
    });
    expect(() => resolveStore({}, { GATEHOUSE_HOME: path.join(dir, "nowhere") }, dir)).toThrow(StoreNotConfiguredError);
  });

  test("network failures and refused credentials count as unreachable; other errors do not", () => {
    expect(isStoreUnreachable(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(isStoreUnreachable(Object.assign(new Error("no credential"), { name: "CredentialUnavailableError" }))).toBe(
      true,
    );
    expect(isStoreUnreachable(new Error("something else"))).toBe(false);
  });
});
