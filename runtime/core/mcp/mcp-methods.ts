/**
 * The client→server methods of MCP (2025-03-26 … 2026-07-28) that the gateway knows how to
 * decide. Any other method (tasks/*, vendor/x, a method of a later revision) is denied unless
 * the server's policy names it (`methods` in the bundle): the gateway cannot decide on what it
 * does not understand, so it does not forward it (issue 12, item 14).
 */
export const KNOWN_CLIENT_METHODS: ReadonlySet<string> = new Set([
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "resources/subscribe",
  "resources/unsubscribe",
  "prompts/list",
  "prompts/get",
  "completion/complete",
  "logging/setLevel",
  "notifications/initialized",
  "notifications/cancelled",
  "notifications/progress",
  "notifications/roots/list_changed",
]);

/**
 * A method as a metric label: a known method (or the gateway's own descriptions of GET, DELETE
 * and client answers) as is; anything a client made up becomes "other", so a label can neither
 * carry data to the metrics backend nor grow without bound.
 */
export function methodLabel(method: string | null): string {
  if (method === null) return "";
  if (KNOWN_CLIENT_METHODS.has(method) || /^(GET|DELETE) \(/.test(method)) return method;
  const answered = /^(roots\/list|sampling\/createMessage|elicitation\/create|ping) \(client answer\)$/.exec(method);
  return answered ? method : "other";
}
