/**
 * Validation tables, as aws-cdk-lib writes them: each entry's `condition` is true when the props
 * are invalid, and every failing entry is reported (never only the first). Messages are
 * lower-case, say what was received and what was expected, and how to fix it; `failures`
 * prefixes each with the construct path.
 */
import { NameSchema } from "../../runtime/core/policy-model/schema";

export interface ValidationCheck {
  /** True when the props are invalid. */
  readonly condition: boolean;
  /** Lower-case, no trailing period: what was received, what was expected, the fix. */
  readonly message: string;
}

/** The messages of the failing checks, prefixed with the construct path. */
export function failures(path: string, checks: readonly ValidationCheck[]): string[] {
  return checks.filter((c) => c.condition).map((c) => `${path}: ${c.message}`);
}

/** Whether `name` is usable as a server name or rule id (URL segment, audit field). */
export function isValidName(name: string): boolean {
  return NameSchema.safeParse(name).success;
}

export const NAME_EXPECTED = "lower-case letters, digits and '-', starting with a letter, at most 63 characters";

/** An Entra object id: the `groups` claim carries ids, never display names. */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Items that appear more than once. */
export function duplicates(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const i of items) (seen.has(i) ? dups : seen).add(i);
  return [...dups];
}

/** JSON of a short value for a message; long values are cut so a message never carries a blob. */
export function shown(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
