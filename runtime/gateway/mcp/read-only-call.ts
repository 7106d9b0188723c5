/**
 * Whether a call may defer its request record (docs/decisions/0008): only a `tools/call` the
 * policy allows outright (no approval) to a tool the server's policy declares read-only. Never
 * the upstream's own `readOnlyHint`: what may skip the durable-before-forward wait is decided
 * by the reviewed policy, not by the server being called.
 */
import { matchesAny } from "../../core/policy-model/glob";
import type { McpServerSpec } from "../../core/policy-model/schema";

export function isReadOnlyCall(
  spec: McpServerSpec | undefined | null,
  method: string,
  tool: string | null,
  effect: string,
): boolean {
  return (
    effect === "allow" &&
    method === "tools/call" &&
    tool !== null &&
    spec?.readOnlyTools !== undefined &&
    matchesAny(spec.readOnlyTools, tool)
  );
}
