/**
 * A raw MCP Streamable HTTP session (initialize + notifications/initialized with fetch), so the
 * load generator can then replay one `tools/call` request with the session's headers.
 */
export const PROTOCOL_VERSION = "2025-06-18";

export interface McpHttpSession {
  readonly url: string;
  readonly sessionId: string;
  /** Headers for every request of this session (auth included when given). */
  readonly headers: Record<string, string>;
  close(): Promise<void>;
}

/** The JSON-RPC body of a `tools/call`. */
export function toolCallBody(name: string, args: Record<string, unknown>, id = 1): string {
  return JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });
}

/** Reads a response that may be JSON or an SSE stream; returns the first JSON-RPC message. */
export async function readRpcResponse(res: Response): Promise<unknown> {
  const text = await res.text();
  if ((res.headers.get("content-type") ?? "").includes("text/event-stream")) {
    for (const line of text.split(/\r?\n/)) if (line.startsWith("data:")) return JSON.parse(line.slice(5));
    throw new Error("the SSE response carried no data event");
  }
  return JSON.parse(text);
}

export async function openMcpHttpSession(url: string, auth: Record<string, string> = {}): Promise<McpHttpSession> {
  const base = { "content-type": "application/json", accept: "application/json, text/event-stream", ...auth };
  const init = await fetch(url, {
    method: "POST",
    headers: base,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: "gatehouse-bench", version: "1.0.0" },
      },
    }),
  });
  const sessionId = init.headers.get("mcp-session-id");
  const reply = (await readRpcResponse(init)) as { error?: { message: string } };
  if (!init.ok || !sessionId || reply.error) {
    throw new Error(`initialize at ${url} failed: HTTP ${init.status} ${reply.error?.message ?? ""}`);
  }
  const headers = { ...base, "mcp-session-id": sessionId, "mcp-protocol-version": PROTOCOL_VERSION };
  const note = await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  await note.arrayBuffer();
  if (note.status !== 202) throw new Error(`notifications/initialized at ${url}: HTTP ${note.status}`);
  return {
    url,
    sessionId,
    headers,
    close: async () => {
      const res = await fetch(url, { method: "DELETE", headers });
      await res.arrayBuffer();
    },
  };
}

/** One call, checked: throws unless the result is a successful tool result. */
export async function callTool(
  session: McpHttpSession,
  name: string,
  args: Record<string, unknown>,
): Promise<{ text: string }> {
  const res = await fetch(session.url, { method: "POST", headers: session.headers, body: toolCallBody(name, args) });
  const msg = (await readRpcResponse(res)) as {
    result?: { isError?: boolean; content: { type: string; text?: string }[] };
    error?: { message: string };
  };
  if (!res.ok || !msg.result || msg.result.isError) {
    throw new Error(
      `tools/call ${name} at ${session.url}: HTTP ${res.status} ${msg.error?.message ?? JSON.stringify(msg.result ?? msg)}`,
    );
  }
  return { text: msg.result.content.map((c) => c.text ?? "").join("") };
}
