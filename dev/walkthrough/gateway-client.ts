/**
 * An MCP SDK client connected to one server through the gateway as a demo user — what the
 * walkthrough (README) and the end-to-end test use. The token comes from the local issuer only.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult, Notification } from "@modelcontextprotocol/sdk/types.js";
import { fetchToken } from "../local-issuer-launcher";
import { checkLocalIssuer } from "../../runtime/cli/local-issuer-guard";
import type { LocalStack } from "../../runtime/core/local-stack-file";

export interface GatewayClient {
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
  close(): Promise<void>;
}

/** A demo user's token from the stack's local issuer (refusing anything that is not it). */
export async function demoToken(stack: Pick<LocalStack, "issuerUrl">, user: string): Promise<string> {
  const check = await checkLocalIssuer(stack.issuerUrl);
  if (!check.ok) throw new Error(check.message);
  return fetchToken(check.issuer, user);
}

export async function connectThroughGateway(opts: {
  gatewayUrl: string;
  server: string;
  token: string;
  /** Server notifications (progress, log messages such as "waiting for approval ..."). */
  onNotification?: (n: Notification) => void;
}): Promise<GatewayClient> {
  const client = new Client({ name: "gatehouse-walkthrough", version: "1.0.0" });
  if (opts.onNotification) {
    const on = opts.onNotification;
    client.fallbackNotificationHandler = async (n) => on(n);
  }
  const transport = new StreamableHTTPClientTransport(new URL(`${opts.gatewayUrl}/mcp/${opts.server}`), {
    requestInit: { headers: { authorization: `Bearer ${opts.token}` } },
  });
  await client.connect(transport);
  return {
    client,
    transport,
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}

/** Approvals can take a human minutes: wait up to `minutes`, longer while the server reports progress. */
export async function callToolWaiting(
  c: GatewayClient,
  name: string,
  args: Record<string, unknown>,
  minutes = 15,
  onProgress?: (message: string) => void,
): Promise<CallToolResult> {
  return (await c.client.callTool({ name, arguments: args }, undefined, {
    timeout: minutes * 60_000,
    resetTimeoutOnProgress: true,
    onprogress: (p) => onProgress?.(p.message ?? `progress ${p.progress}${p.total ? `/${p.total}` : ""}`),
  })) as CallToolResult;
}

export function resultText(r: CallToolResult): string {
  return r.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join("\n");
}
