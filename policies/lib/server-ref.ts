import type { McpServer } from "./mcp-server";

/** A server given as the construct or by name (or, where globs are allowed, a glob such as `*`). */
export type ServerRef = McpServer | string;

export function serverRefName(ref: ServerRef): string {
  return typeof ref === "string" ? ref : ref.serverName;
}
