/**
 * MCP Streamable HTTP protocol revisions and headers the gateway understands.
 */
import { GatehouseError } from "../errors";
import { targetName } from "./jsonrpc";

export const PROTOCOL_VERSIONS = ["2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"] as const;
/** From this revision on, Streamable HTTP is stateless: no session, no GET stream, mirrored headers. */
export const STATELESS_VERSION = "2026-07-28";

/** The headers 2026-07-28 mirrors from the body (the only MCP headers the gateway checks itself). */
const HEADER = {
  METHOD: "mcp-method",
  NAME: "mcp-name",
} as const;

export function isStateless(protocolVersion: string | undefined): boolean {
  return !!protocolVersion && protocolVersion >= STATELESS_VERSION;
}

/**
 * MCP 2026-07-28: POSTs mirror `method` in `Mcp-Method` and the tool/prompt name or resource URI in
 * `Mcp-Name`; a server rejects a request whose headers are missing or disagree with the body
 * (HTTP 400, JSON-RPC -32020 HeaderMismatch). The gateway authorizes on the body either way.
 */
export function checkMirroredHeaders(
  headers: Record<string, string | string[] | undefined>,
  method: string,
  params: Record<string, unknown> | undefined,
): void {
  const one = (h: string) =>
    Array.isArray(headers[h]) ? (headers[h] as string[])[0] : (headers[h] as string | undefined);
  const hMethod = one(HEADER.METHOD);
  if (hMethod === undefined)
    throw new GatehouseError("ERR_HEADER_MISMATCH", "Header mismatch: the Mcp-Method header is required");
  if (hMethod !== method)
    throw new GatehouseError("ERR_HEADER_MISMATCH", "Header mismatch: Mcp-Method does not match the body's method");
  const name = targetName(method, params);
  const needsName = method === "tools/call" || method === "prompts/get" || method === "resources/read";
  const hName = one(HEADER.NAME);
  if (needsName && hName === undefined)
    throw new GatehouseError("ERR_HEADER_MISMATCH", "Header mismatch: the Mcp-Name header is required for " + method);
  if (hName !== undefined && hName !== (name ?? ""))
    throw new GatehouseError("ERR_HEADER_MISMATCH", "Header mismatch: Mcp-Name does not match the body");
}
