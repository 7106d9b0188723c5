import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import type { GatehouseError } from "../../../runtime/core/errors";
import { loadGatewayConfig } from "../../../runtime/core/config/gateway-config";
import { buildMasker } from "../../../runtime/gateway/live-masker";
import { repoRoot } from "../../../runtime/core/repo-root";

/**
 * GATEHOUSE_MASKING_HASH_KEY (or _FILE): the HMAC key of the `hash` masking style. Validated at
 * start, required only by a bundle that uses `hash`, never echoed.
 */
const base = {
  GATEHOUSE_IDENTITY_METADATA: "http://127.0.0.1:9/.well-known/openid-configuration",
  GATEHOUSE_AUDIENCE: "api://gatehouse",
  GATEHOUSE_AGENT_URL: "http://127.0.0.1:8081",
  GATEHOUSE_POLICY_FILE: "/x/bundle.json",
  GATEHOUSE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true",
  GATEHOUSE_SIGNING_KEY_FILE: "/x/key.json",
};
const withHash = sealBundle({
  schemaVersion: 1,
  servers: [],
  access: [],
  masking: [{ id: "emails-hashed", detectors: ["email"], style: "hash" }],
});
const withoutHash = sealBundle({
  schemaVersion: 1,
  servers: [],
  access: [],
  masking: [{ id: "emails", detectors: ["email"] }],
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadGatewayConfig({ ...base, ...env });
  } catch (e) {
    expect((e as GatehouseError).code).toBe("ERR_CONFIG_INVALID");
    return (e as GatehouseError).details.problems as string[];
  }
  return [];
}

describe("masking hash key configuration", () => {
  let tmp: string;
  beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-hash-key-"))));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("a base64 key of 32 bytes or more is taken, from the variable or a file", () => {
    const key = randomBytes(48);
    expect(loadGatewayConfig({ ...base, GATEHOUSE_MASKING_HASH_KEY: key.toString("base64") }).maskingHashKey).toEqual(
      key,
    );
    const file = path.join(tmp, "key");
    fs.writeFileSync(file, `${key.toString("base64")}\n`);
    expect(loadGatewayConfig({ ...base, GATEHOUSE_MASKING_HASH_KEY_FILE: file }).maskingHashKey).toEqual(key);
    expect(loadGatewayConfig(base).maskingHashKey).toBeUndefined();
  });

  test("a short, non-base64, unreadable or doubly given key is refused naming the variable, never echoing the key", () => {
    const short = randomBytes(16).toString("base64");
    const problems = problemsOf({ GATEHOUSE_MASKING_HASH_KEY: short });
    expect(problems).toEqual([expect.stringMatching(/^GATEHOUSE_MASKING_HASH_KEY: /)]);
    expect(problems.join("\n")).not.toContain(short);
    expect(problemsOf({ GATEHOUSE_MASKING_HASH_KEY: "not base64 at all, but long enough to be 32 bytes!!" })).toEqual([
      expect.stringMatching(/^GATEHOUSE_MASKING_HASH_KEY: /),
    ]);
    expect(problemsOf({ GATEHOUSE_MASKING_HASH_KEY_FILE: path.join(tmp, "missing") })).toEqual([
      expect.stringMatching(/^GATEHOUSE_MASKING_HASH_KEY_FILE: /),
    ]);
    const shortFile = path.join(tmp, "short");
    fs.writeFileSync(shortFile, short);
    expect(problemsOf({ GATEHOUSE_MASKING_HASH_KEY_FILE: shortFile })).toEqual([
      expect.stringMatching(/^GATEHOUSE_MASKING_HASH_KEY_FILE: /),
    ]);
    const good = randomBytes(32).toString("base64");
    const goodFile = path.join(tmp, "good");
    fs.writeFileSync(goodFile, good);
    expect(problemsOf({ GATEHOUSE_MASKING_HASH_KEY: good, GATEHOUSE_MASKING_HASH_KEY_FILE: goodFile })).toEqual([
      expect.stringMatching(/^GATEHOUSE_MASKING_HASH_KEY_FILE: /),
    ]);
  });

  test("a bundle using `hash` needs the key; one without `hash` does not", () => {
    expect(() => buildMasker(withHash, undefined)).toThrow(
      expect.objectContaining({
        code: "ERR_CONFIG_INVALID",
        details: expect.objectContaining({ problems: ["GATEHOUSE_MASKING_HASH_KEY"] }),
      }),
    );
    const key = randomBytes(32);
    const hashed = buildMasker(withHash, key).maskText("mail bob@example.com", { server: "s", copy: "client" });
    expect(hashed.value).not.toContain("bob@example.com");
    expect(hashed.counts).toEqual({ email: 1 });
    expect(
      buildMasker(withoutHash, undefined).maskText("mail bob@example.com", { server: "s", copy: "client" }).value,
    ).not.toContain("bob@example.com");
  });

  test("the gateway process refuses to start on a `hash` bundle without the key, naming GATEHOUSE_MASKING_HASH_KEY", () => {
    const file = path.join(tmp, "bundle.json");
    fs.writeFileSync(file, JSON.stringify(withHash));
    const run = spawnSync(process.execPath, [path.join(repoRoot(), "dist", "runtime", "gateway", "server.js")], {
      env: {
        PATH: process.env.PATH,
        ...base,
        GATEHOUSE_PORT: "0",
        GATEHOUSE_POLICY_FILE: file,
        GATEHOUSE_POLICY_POLL_SECONDS: "0",
        GATEHOUSE_LOG_LEVEL: "error",
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /failed to start: ERR_CONFIG_INVALID: [\s\S]*GATEHOUSE_MASKING_HASH_KEY: required[\s\S]*emails-hashed/,
    );
  }, 40_000);
});
