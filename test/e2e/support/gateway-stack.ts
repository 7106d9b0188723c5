/**
 * The whole product for the approvals end-to-end tests: the local stack (Azurite, local issuer,
 * demo customers server, agent, gateway A) from dev/stack, plus optionally a second gateway
 * process (B) sharing the same Azurite, policy, signing key and session key: two replicas.
 * Runs the built processes (dist/): `npm run build` first (npm test does).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { startLocalStack, type RunningLocalStack } from "../../../dev/stack/start-local-stack";
import { devBundle } from "../../../dev/stack/dev-bundle";
import { freePort } from "../../../dev/stack/port-probe";
import { DEMO, fetchToken } from "../../../dev/local-issuer-launcher";
import { launch, type LaunchedProcess } from "../../../dev/process-launcher";
import { repoRoot } from "../../../runtime/core/repo-root";

export interface GatewayStack {
  readonly stack: RunningLocalStack;
  readonly gatewayA: string;
  readonly gatewayB: string | null;
  token(user: string): Promise<string>;
  api(gateway: string, method: string, p: string, user: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** An MCP SDK client of `user` on `server` through `gateway`; approval notices are collected. */
  connect(
    gateway: string,
    user: string,
    server: string,
  ): Promise<{ client: Client; notices: Record<string, unknown>[]; close(): Promise<void> }>;
  stop(): Promise<void>;
}

export async function startGatewayStack(opts: { secondGateway?: boolean } = {}): Promise<GatewayStack> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "gh-approvals-e2e-"));
  const stack = await startLocalStack({
    home,
    ports: { gateway: 0, agent: 0, issuer: 0, customers: 0, azuriteBlob: 0, azuriteTable: 0 },
    bundle: devBundle,
    gatewayEnv: { GATEHOUSE_LOG_LEVEL: "warn", GATEHOUSE_CHAIN_ID: "gateway-a" },
  });
  let second: LaunchedProcess | null = null;
  try {
    if (opts.secondGateway) {
      const port = await freePort();
      const info = stack.info;
      second = await launch({
        name: "gateway-b",
        command: process.execPath,
        args: [path.join(repoRoot(), "dist", "runtime", "gateway", "server.js")],
        env: {
          ...process.env,
          GATEHOUSE_HOST: "127.0.0.1",
          GATEHOUSE_PORT: String(port),
          GATEHOUSE_POLICY_FILE: info.policyBundleFile,
          GATEHOUSE_STORAGE_CONNECTION_STRING: info.storageConnectionString,
          GATEHOUSE_IDENTITY_METADATA: `${info.issuerUrl}/.well-known/openid-configuration`,
          GATEHOUSE_AUDIENCE: DEMO.audience,
          GATEHOUSE_TENANT_IDS: DEMO.tenantId,
          GATEHOUSE_AGENT_URL: info.agentUrl,
          GATEHOUSE_SIGNING_KEY_FILE: path.join(home, "signing-key.json"),
          GATEHOUSE_SESSION_KEY: fs.readFileSync(path.join(home, "session-key"), "utf8").trim(),
          GATEHOUSE_CHAIN_ID: "gateway-b",
          GATEHOUSE_LOG_LEVEL: "warn",
        },
        ready: /gatehouse gateway listening at (http:\/\/\S+)/,
        timeoutMs: 45_000,
      });
    }
  } catch (e) {
    await stack.stop();
    throw e;
  }
  const token = (user: string) => fetchToken(stack.info.issuerUrl, user);
  return {
    stack,
    gatewayA: stack.info.gatewayUrl,
    gatewayB: second ? second.match[1].replace(/\/+$/, "") : null,
    token,
    async api(gateway, method, p, user, body) {
      const res = await fetch(gateway + p, {
        method,
        headers: {
          authorization: `Bearer ${await token(user)}`,
          accept: "application/json",
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, json };
    },
    async connect(gateway, user, server) {
      const transport = new StreamableHTTPClientTransport(new URL(`${gateway}/mcp/${server}`), {
        requestInit: { headers: { authorization: `Bearer ${await token(user)}` } },
      });
      const client = new Client({ name: "approvals-e2e", version: "1.0.0" });
      const notices: Record<string, unknown>[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        if (n.params.data && typeof n.params.data === "object") notices.push(n.params.data as Record<string, unknown>);
      });
      await client.connect(transport);
      return { client, notices, close: () => client.close() };
    },
    async stop() {
      await second?.stop();
      await stack.stop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Resolves with the approval id the gateway announced to the client (notifications/message). */
export async function announcedApprovalId(notices: Record<string, unknown>[], timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const n = notices.find((x) => typeof x.approvalId === "string");
    if (n) return n.approvalId as string;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the gateway did not announce an approval id to the client");
}
