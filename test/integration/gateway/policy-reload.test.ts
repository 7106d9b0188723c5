import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { startLocalStack, type RunningLocalStack } from "../../../dev/stack/start-local-stack";
import { devBundle } from "../../../dev/stack/dev-bundle";
import { fetchToken } from "../../../dev/local-issuer-launcher";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import type { PolicyBundle } from "../../../runtime/core/policy-model/schema";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";

/**
 * The gateway process (dist/) follows a change of its policy file without a restart: carol
 * (Auditor, no MCP server in the declared policy) is refused, then allowed once a bundle giving
 * Auditors the customers server is written, and the records name the bundle that decided.
 * `npx tsc -p tsconfig.build.json` first.
 */
const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
};

describe("policy hot reload through the gateway process", () => {
  let home: string;
  let stack: RunningLocalStack;
  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "gh-policy-reload-"));
    stack = await startLocalStack({
      home,
      ports: { gateway: 0, agent: 0, issuer: 0, customers: 0, azuriteBlob: 0, azuriteTable: 0 },
      bundle: devBundle,
      gatewayEnv: { GATEHOUSE_LOG_LEVEL: "warn", GATEHOUSE_POLICY_POLL_SECONDS: "1" },
    });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  async function initializeAs(user: string): Promise<number> {
    const res = await fetch(`${stack.info.gatewayUrl}/mcp/customers`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await fetchToken(stack.info.issuerUrl, user)}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-06-18",
      },
      body: JSON.stringify(INIT),
    });
    await res.text();
    return res.status;
  }

  test("a decision changes after the bundle file changes; a tampered file changes nothing", async () => {
    expect(await initializeAs("carol")).toBe(403);
    const a = JSON.parse(fs.readFileSync(stack.info.policyBundleFile, "utf8")) as PolicyBundle;
    const { version: _v, ...body } = a;
    const b = sealBundle({
      ...body,
      access: [
        ...body.access,
        {
          id: "auditors-look",
          mode: "standing",
          principals: { roles: ["Auditor"] },
          servers: ["customers"],
          tools: { allow: ["list_customers"] },
        },
      ],
    });
    fs.writeFileSync(stack.info.policyBundleFile, JSON.stringify(b));

    const deadline = Date.now() + 20_000;
    let status = 403;
    while (status === 403 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = await initializeAs("carol");
    }
    expect(status).toBe(200);

    const trail = await readAuditTrail({
      blobService: BlobServiceClient.fromConnectionString(stack.info.storageConnectionString),
    });
    const records = [...trail.chains.values()].flat().filter((r) => r.actor.username?.startsWith("carol"));
    expect(records.find((r) => r.kind === "http.refused")?.policyVersion).toBe(a.version);
    const allowed = records.find((r) => r.kind === "mcp.request" && r.decision.outcome === "allowed");
    expect(allowed).toMatchObject({ policyVersion: b.version, decision: { ruleId: "auditors-look" } });

    // Tampered (the seal no longer matches): refused by the gateway, B stays in force.
    fs.writeFileSync(stack.info.policyBundleFile, JSON.stringify({ ...b, access: body.access }));
    const gateway = stack.children.find((c) => c.name === "gateway")!.process;
    const refusedBy = Date.now() + 20_000;
    while (!gateway.output().includes("policy.reload_refused") && Date.now() < refusedBy)
      await new Promise((r) => setTimeout(r, 200));
    expect(gateway.output()).toContain("policy.reload_refused");
    expect(await initializeAs("carol")).toBe(200);
  }, 60_000);
});
