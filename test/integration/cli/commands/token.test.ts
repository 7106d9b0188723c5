import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import { DEMO, startLocalIssuer, type LocalIssuer } from "../../../../dev/local-issuer-launcher";
import { writeLocalStack } from "../../../../runtime/core/local-stack-file";
import { repoRoot } from "../../../../runtime/core/repo-root";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(repoRoot(), "bin", "gatehouse.js"), ...args],
      { env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("gatehouse token", () => {
  let issuer: LocalIssuer;
  let home: string;
  let impostor: http.Server;
  let impostorUrl: string;
  beforeAll(async () => {
    issuer = await startLocalIssuer();
    home = fs.mkdtempSync(path.join(os.tmpdir(), "gh-token-"));
    // A loopback server whose discovery document names another issuer (e.g. a forwarder to Entra).
    impostor = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          issuer: "https://login.microsoftonline.com/tenant/v2.0",
          token_endpoint: "https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
        }),
      );
    });
    await new Promise<void>((r) => impostor.listen(0, "127.0.0.1", () => r()));
    impostorUrl = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await issuer.stop();
    await new Promise<void>((r) => impostor.close(() => r()));
    fs.rmSync(home, { recursive: true, force: true });
  });

  test("prints a token for a demo user from the issuer recorded by the local stack", async () => {
    writeLocalStack(
      {
        schemaVersion: 1,
        pid: process.pid,
        startedAt: new Date().toISOString(),
        home,
        gatewayUrl: "http://127.0.0.1:1",
        agentUrl: "http://127.0.0.1:2",
        issuerUrl: issuer.url,
        approvalsUrl: "http://127.0.0.1:1/approvals",
        customersUrl: "http://127.0.0.1:3/mcp",
        mcpUrls: {},
        storageConnectionString: "UseDevelopmentStorage=true",
        blobEndpoint: "http://127.0.0.1:4/devstoreaccount1",
        tableEndpoint: "http://127.0.0.1:5/devstoreaccount1",
        signingPublicJwk: { kty: "EC" },
        policyBundleFile: "x",
        policyVersion: "0".repeat(64),
        demoFilesDir: home,
      },
      home,
    );
    const run = await cli(["token", "alice"], { GATEHOUSE_HOME: home });
    expect(run.code).toBe(0);
    const claims = decodeJwt(run.stdout.trim());
    expect(claims.iss).toBe(issuer.url);
    expect(claims.oid).toBe(DEMO.users.alice.oid);
    expect(claims.roles).toEqual(["Engineer"]);
  });

  test("--issuer names the local issuer explicitly; --json adds the user's roles", async () => {
    const run = await cli(["token", "bob", "--issuer", issuer.url, "--json"], {
      GATEHOUSE_HOME: path.join(home, "none"),
    });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { roles: string[]; accessToken: string };
    expect(out.roles).toEqual(["Approver"]);
    expect(decodeJwt(out.accessToken).preferred_username).toBe(DEMO.users.bob.username);
  });

  test("refuses an unknown user, a non-loopback issuer and a loopback impostor (exit 2)", async () => {
    expect((await cli(["token", "mallory", "--issuer", issuer.url])).code).toBe(2);
    const remote = await cli(["token", "alice", "--issuer", "https://login.microsoftonline.com/common/v2.0"]);
    expect(remote.code).toBe(2);
    expect(remote.stdout).toBe("");
    const https = await cli(["token", "alice", "--issuer", issuer.url.replace("http:", "https:")]);
    expect(https.code).toBe(2);
    const imp = await cli(["token", "alice", "--issuer", impostorUrl]);
    expect(imp.code).toBe(2);
    expect(imp.stdout).toBe("");
  });

  test("says to start the stack when nothing is recorded or the issuer is down (exit 3)", async () => {
    expect((await cli(["token", "alice"], { GATEHOUSE_HOME: path.join(home, "empty") })).code).toBe(3);
    const down = await cli(["token", "alice", "--issuer", "http://127.0.0.1:9"]);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/npm run dev/);
  });
});
