/**
 * Raw HTTP against the gateway as an MCP client would speak it, for attacks an SDK client
 * would never send (odd charsets, duplicate ids, answers to requests nobody made).
 */
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import type { Harness } from "../../integration/gateway/gateway-harness";

export interface RawAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The JSON body, or the last JSON-RPC message of an SSE body. */
  readonly json: {
    id?: unknown;
    result?: Record<string, unknown>;
    error?: { code: number; data?: { code?: string } };
  } | null;
  /** Every JSON-RPC message of an SSE body (or the JSON body). */
  readonly messages: Record<string, unknown>[];
}

export const MCP_HEADERS = { accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" };

export async function rawPost(
  h: Harness,
  server: string,
  token: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const res = await fetch(`${h.gatewayUrl}/mcp/${server}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...MCP_HEADERS, ...headers },
    body,
  });
  const text = await res.text();
  const messages: Record<string, unknown>[] = [];
  if ((res.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    for (const block of text.split(/\n\n/)) {
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n");
      if (data) messages.push(JSON.parse(data));
    }
  } else if (text) {
    try {
      messages.push(JSON.parse(text));
    } catch {
      /* not JSON: `json` stays null */
    }
  }
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: (messages.at(-1) as RawAnswer["json"]) ?? null,
    messages,
  };
}

/** initialize through the gateway; returns the client-visible Mcp-Session-Id. */
export async function openSession(
  h: Harness,
  server: string,
  token: string,
  capabilities: Record<string, unknown> = {},
): Promise<string> {
  const init = await rawPost(
    h,
    server,
    token,
    JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities, clientInfo: { name: "attacker", version: "1" } },
    }),
  );
  const sid = init.headers.get("mcp-session-id");
  if (!sid) throw new Error(`initialize failed: ${init.status} ${init.text}`);
  return sid;
}

export async function auditRecords(h: Harness): Promise<AuditRecord[]> {
  const trail = await readAuditTrail({ blobService: h.blobService });
  return [...trail.chains.values()].flat();
}
