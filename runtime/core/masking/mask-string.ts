import type { MaskPlan } from "./mask-plan";
import { replacementFor } from "./replacement";
import { mergeFindings } from "./scanner";
import type { Finding, ScanState } from "./scan-state";

/** What one masking operation accumulates: counts by entity type and the shared scan state. */
export interface MaskEnv {
  plan: MaskPlan;
  st: ScanState;
  hashKey: Buffer | undefined;
  counts: Record<string, number>;
  /** Number of replacements made so far (to know whether embedded JSON must be re-serialized). */
  replaced: number;
}

export function count(env: MaskEnv, type: string): void {
  env.counts[type] = (env.counts[type] ?? 0) + 1;
  env.replaced++;
}

/** Findings of the plan's detectors and custom patterns in `text`. */
export function findAll(text: string, env: MaskEnv, fieldContext = ""): Finding[] {
  env.st.reset(fieldContext);
  let found = env.plan.scanner.scan(text, env.st);
  if (env.plan.patterns.length > 0) {
    found = found.slice(); // the scanner may return its shared empty result
    for (const p of env.plan.patterns) p.findAll(text, found);
    env.st.steps += text.length * env.plan.patterns.length;
    found = found.length > 1 ? mergeFindings(found) : found;
  }
  return found;
}

/** `text` with every finding replaced in its type's style; the same string when nothing matched. */
export function maskString(text: string, env: MaskEnv, fieldContext = ""): string {
  return render(text, findAll(text, env, fieldContext), env);
}

/** `text` with `found` (sorted, merged) replaced in the env's styles, counted in its counts. */
export function render(text: string, found: readonly Finding[], env: MaskEnv): string {
  if (found.length === 0) return text;
  let out = "";
  let last = 0;
  for (const f of found) {
    const style = env.plan.styles.get(f.type) ?? "redact";
    out += text.slice(last, f.start) + replacementFor(f.type, style, text.slice(f.start, f.end), env.hashKey);
    last = f.end;
    count(env, f.type);
  }
  return out + text.slice(last);
}
