/**
 * The image's entrypoint (`gatehouse-runtime gateway|agent`) run as a process, the way the
 * container runs it: the role is required (item 5), a stop signal is handled by the process
 * itself from its first moment, as PID 1 must (item 17), a gateway on a wildcard address needs
 * its public URL (item 18), and an agent whose stdio servers name a command missing from the
 * image does not start (item 19).
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { sealBundle } from "../../runtime/core/policy-model/bundle-version";
import { startAzurite } from "../../dev/azurite-launcher";
import { DEMO, startLocalIssuer } from "../../dev/local-issuer-launcher";
import { LocalSigner } from "../../runtime/core/signing/local-signer";
import { runEntrypoint } from "./run-role";

let dir: string;
let policyFile: string;
let keyFile: string;
let publicJwk: string;
/** A TCP server that accepts connections and never answers: a dependency hanging at start. */
let blackHole: net.Server;
let blackHolePort: number;
const heldSockets = new Set<net.Socket>();
let connected: () => void = () => undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-entrypoint-"));
  policyFile = path.join(dir, "bundle.json");
  fs.writeFileSync(
    policyFile,
    JSON.stringify(
      sealBundle({
        schemaVersion: 1,
        servers: [{ name: "up", transport: { type: "http", url: "http://127.0.0.1:9/mcp" } }],
        access: [],
      }),
    ),
  );
  keyFile = path.join(dir, "signing-key.json");
  publicJwk = JSON.stringify(await (await LocalSigner.create(keyFile)).publicJwk());
  blackHole = net.createServer((s) => (heldSockets.add(s), connected()));
  await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", r));
  blackHolePort = (blackHole.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of heldSockets) s.destroy();
  await new Promise((r) => blackHole.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A complete, valid gateway configuration whose storage never answers. */
const gatewayEnv = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  GATEHOUSE_HOST: "127.0.0.1",
  GATEHOUSE_PORT: "0",
  GATEHOUSE_IDENTITY_METADATA: `http://127.0.0.1:${blackHolePort}/.well-known/openid-configuration`,
  GATEHOUSE_AUDIENCE: "api://gatehouse",
  GATEHOUSE_AGENT_URL: "http://127.0.0.1:9",
  GATEHOUSE_POLICY_FILE: policyFile,
  GATEHOUSE_SIGNING_KEY_FILE: keyFile,
  GATEHOUSE_STORAGE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${Buffer.alloc(32).toString("base64")};BlobEndpoint=http://127.0.0.1:${blackHolePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${blackHolePort}/devstoreaccount1;`,
  ...over,
});

describe("gatehouse-runtime entrypoint", () => {
  test.each([[[]], [["gatway"]], [["gateway", "agent"]]])(
    "refuses to start without exactly one role: %j",
    async (args) => {
      const { ended } = runEntrypoint(args, {});
      const r = await ended;
      expect(r.code).toBe(64);
      expect(r.stderr).toContain("ERR_CONFIG_INVALID");
      expect(r.stderr).toContain("gateway|agent");
    },
  );

  test("SIGTERM while the gateway is still starting (storage hanging): the process handles it and exits 0, it is not killed by the signal", async () => {
    const hung = new Promise<void>((r) => (connected = r));
    const run = runEntrypoint(["gateway"], gatewayEnv());
    await hung; // the gateway is inside its start, waiting on storage
    run.child.kill("SIGTERM");
    const r = await run.ended;
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
    expect(r.stdout).not.toContain("listening at");
  });

  test("a gateway on a wildcard address without GATEHOUSE_PUBLIC_URL refuses to start, naming the variable", async () => {
    const r = await runEntrypoint(["gateway"], gatewayEnv({ GATEHOUSE_HOST: "0.0.0.0" })).ended;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ERR_CONFIG_INVALID");
    expect(r.stderr).toContain("GATEHOUSE_PUBLIC_URL");
    expect(r.stdout).not.toContain("listening at");
  });

  test("a bad approval webhook URL is refused at start together with the other bad variables (issue 14, item 6)", async () => {
    const r = await runEntrypoint(
      ["gateway"],
      gatewayEnv({ GATEHOUSE_HOST: "0.0.0.0", GATEHOUSE_APPROVAL_WEBHOOK_URL: "not a url" }),
    ).ended;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ERR_CONFIG_INVALID");
    expect(r.stderr).toContain("GATEHOUSE_APPROVAL_WEBHOOK_URL");
    expect(r.stderr).toContain("GATEHOUSE_PUBLIC_URL");
    expect(r.stdout).not.toContain("listening at");
  });

  test("an agent whose stdio server names a command missing from the image refuses to start, naming server and command", async () => {
    const stdioPolicy = path.join(dir, "stdio-bundle.json");
    fs.writeFileSync(
      stdioPolicy,
      JSON.stringify(
        sealBundle({
          schemaVersion: 1,
          servers: [
            { name: "files", transport: { type: "stdio", command: "gatehouse-no-such-mcp-server", args: [] } },
            { name: "shell", transport: { type: "stdio", command: "node", args: ["-v"] } },
          ],
          access: [],
        }),
      ),
    );
    const env = {
      GATEHOUSE_HOST: "127.0.0.1",
      GATEHOUSE_PORT: "0",
      GATEHOUSE_GATEWAY_PUBLIC_JWK: publicJwk,
      GATEHOUSE_CREDENTIAL_PROVIDER: "dev-env",
      GATEHOUSE_POLICY_FILE: stdioPolicy,
    };
    const r = await runEntrypoint(["agent"], env).ended;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ERR_CONFIG_INVALID");
    expect(r.stderr).toContain("files (gatehouse-no-such-mcp-server)");
    expect(r.stderr).not.toContain("shell (node)");
  });

  test("the agent role starts the agent, and SIGTERM once it is ready stops it with exit 0", async () => {
    const env = {
      GATEHOUSE_HOST: "127.0.0.1",
      GATEHOUSE_PORT: "0",
      GATEHOUSE_GATEWAY_PUBLIC_JWK: publicJwk,
      GATEHOUSE_CREDENTIAL_PROVIDER: "dev-env",
      GATEHOUSE_POLICY_FILE: policyFile,
    };
    const run = runEntrypoint(["agent"], env);
    const line = await run.waitFor(/gatehouse (agent|gateway) listening at/);
    expect(line).toMatch(/^gatehouse agent listening at http:\/\/127\.0\.0\.1:\d+$/);
    run.child.kill("SIGTERM");
    const r = await run.ended;
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
  });

  test("SIGTERM once ready while storage stops answering: the stuck flush does not hold the process, it exits 0 on its own at the stop deadline", async () => {
    const azurite = await startAzurite({ location: path.join(dir, "azurite") });
    const issuer = await startLocalIssuer();
    const pid = azurite.process.child.pid!;
    try {
      const run = runEntrypoint(["gateway"], {
        ...gatewayEnv({
          GATEHOUSE_STORAGE_CONNECTION_STRING: azurite.connectionString,
          GATEHOUSE_IDENTITY_METADATA: `${issuer.url}/.well-known/openid-configuration`,
          GATEHOUSE_TENANT_IDS: DEMO.tenantId,
        }),
        GATEHOUSE_LOG_LEVEL: "error",
      });
      await run.waitFor(/gatehouse gateway listening at/);
      process.kill(pid, "SIGSTOP"); // storage accepts connections and never answers: the shutdown record cannot be written
      run.child.kill("SIGTERM");
      const r = await run.ended;
      expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
      expect(r.stderr).toContain("process.shutdown_deadline");
    } finally {
      process.kill(pid, "SIGCONT");
      await issuer.stop();
      await azurite.stop();
    }
  }, 90_000);
});
