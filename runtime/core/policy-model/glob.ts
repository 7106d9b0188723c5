/**
 * Glob matching for tool, resource and prompt names and server names: `*` matches any run of
 * characters (including none, and including `/`), `?` exactly one character; everything else is
 * literal and case-sensitive. There is no escape character and no character classes.
 *
 * The matcher never backtracks more than to the most recent `*` (the classic two-pointer
 * algorithm, see research.swtch.com/glob): time is O(|pattern| x |text|) in the worst case and
 * linear in |text| for patterns with at most one `*`, never exponential, so a hostile tool name
 * cannot stall the gateway. Patterns are bounded to 256 characters by the bundle schema.
 */
export function globMatch(pattern: string, text: string): boolean {
  // Work on code points so that `?` matches one character, not one UTF-16 unit.
  const p = Array.from(pattern);
  const t = Array.from(text);
  let pi = 0;
  let ti = 0;
  // Where to resume after the last `*`: the pattern index after it and the text index it covers up to.
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    const c = p[pi];
    if (pi < p.length && c === "*") {
      starP = pi + 1;
      starT = ti;
      pi += 1;
      continue;
    }
    if (pi < p.length && (c === "?" || c === t[ti])) {
      pi += 1;
      ti += 1;
      continue;
    }
    if (starP >= 0) {
      // Let the last `*` swallow one more character and retry from just after it.
      starT += 1;
      ti = starT;
      pi = starP;
      continue;
    }
    return false;
  }
  while (pi < p.length && p[pi] === "*") pi += 1;
  return pi === p.length;
}

/** True when `text` matches at least one of `patterns` (an empty list matches nothing). */
export function matchesAny(patterns: readonly string[], text: string): boolean {
  return patterns.some((p) => globMatch(p, text));
}

/** The first pattern of `patterns` that matches `text`, or null. */
export function firstMatch(patterns: readonly string[], text: string): string | null {
  return patterns.find((p) => globMatch(p, text)) ?? null;
}
