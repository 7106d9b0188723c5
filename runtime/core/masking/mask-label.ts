/**
 * Masks the short strings that describe a call rather than carry its data — tool names, resource
 * URIs, error messages, SSE ids, log fields — before they reach the audit trail, logs, evidence
 * or a client. A caller chooses them, so they can carry anything (a card number in a tool name, a
 * SAS URL in a resource URI: issue 12, item 6): they get the policy's audit masking and, whatever
 * the policy enables, every built-in detector.
 */
import { createMasker, type Masker, type MaskContext } from "./masker";

/** bundle null: every built-in detector, redact style. */
const builtIns = createMasker({ bundle: null });

export function maskLabel(text: string, policyMasker?: Masker, ctx?: MaskContext): string {
  let out = text;
  try {
    if (policyMasker && ctx) out = policyMasker.maskText(out, ctx).value;
    return builtIns.maskText(out, { server: ctx?.server ?? "", tool: null, copy: ctx?.copy ?? "audit" }).value;
  } catch {
    // Unscannable (far too large for a label): nothing of it is kept.
    return "[WITHHELD]";
  }
}

/** maskLabel for a value that may be null. */
export function maskLabelOrNull(text: string | null, policyMasker?: Masker, ctx?: MaskContext): string | null {
  return text === null ? null : maskLabel(text, policyMasker, ctx);
}
