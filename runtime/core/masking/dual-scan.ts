/**
 * One scan of a string for both copies of a message (issue 15): the audit plan's scanner finds
 * everything the client plan's would, and more. The client copy reuses the audit scan only when
 * that is provably what the client plan alone would have found; otherwise the string is scanned
 * again with the client plan (correctness first: a reused scan must never leave the client copy
 * less masked than its own scan would).
 *
 * Why reuse is exact: both scanners try, at each position, the detectors of their set in the
 * catalogue's order, stop at the first match and jump past it. When every raw finding of the
 * audit scan comes from a detector the client plan also has, every detector tried before it
 * returned false (the client's are a subset, tried in the same order, with the same per-detector
 * pre-filters; ScanState's memos either cache facts of the text or are read only by the detector
 * that writes them), so the client scan made the very same raw findings, jumps included. An audit-only finding (secret_field around a card, a JWT over digit runs, a
 * connection string over a key) may have hidden or stretched a client finding: rescan.
 */
import type { CustomPattern } from "./custom-pattern";
import type { MaskPlan } from "./mask-plan";
import { findAll, render, type MaskEnv } from "./mask-string";
import { mergeFindings, NONE } from "./scanner";
import type { Finding } from "./scan-state";

/** How a client plan relates to the audit plan of the same server and tool (computed once per pair). */
export interface CopyPair {
  /** Detector ids of the client plan's scanner. */
  readonly clientDetectors: ReadonlySet<string>;
  /** The client plan's custom patterns (each one of the audit plan's, in the same order). */
  readonly clientPatterns: ReadonlySet<CustomPattern>;
  /** Both plans use the same scanner (same detector set): every audit scan is the client's. */
  readonly sameScanner: boolean;
}

/** Work counters of the one-walk path (for the tests and the benchmark), never values. */
export interface CopyStats {
  /** Strings scanned once for both copies. */
  shared: number;
  /** Of those, strings scanned a second time for the client copy (an audit-only finding). */
  rescanned: number;
  /** Messages walked again, once per copy (unscannable: the single walks decide the error). */
  rewalked: number;
}

/**
 * The pair, or null when the client plan is not nested in the audit plan (then the one-walk
 * path does not apply and both copies are walked separately).
 */
export function copyPair(client: MaskPlan, audit: MaskPlan): CopyPair | null {
  const auditDetectors = new Set(audit.scanner.detectors);
  if (!client.scanner.detectors.every((d) => auditDetectors.has(d))) return null;
  // A subsequence of the audit patterns: matches are appended (and ties merged) in the same order.
  let k = 0;
  for (const p of client.patterns) {
    while (k < audit.patterns.length && audit.patterns[k] !== p) k++;
    if (k === audit.patterns.length) return null;
    k++;
  }
  return {
    clientDetectors: new Set(client.scanner.detectors.map((d) => d.id)),
    clientPatterns: new Set(client.patterns),
    sameScanner: client.scanner === audit.scanner,
  };
}

const copy = (f: Finding): Finding => ({ start: f.start, end: f.end, type: f.type });

/** A plan's findings from its scanner's raw findings and its patterns' matches (as findAll makes them). */
function finish(raw: Finding[], matches: Finding[] | null): Finding[] {
  let found = raw.length > 1 ? mergeFindings(raw) : raw;
  if (matches !== null) {
    found = found.concat(matches);
    found = found.length > 1 ? mergeFindings(found) : found;
  }
  return found;
}

/**
 * `text` masked for the client copy and for the audit copy, each counted in its env, from one
 * scan with the audit plan where that is exact (see above).
 */
export function maskStringCopies(
  text: string,
  c: MaskEnv,
  a: MaskEnv,
  pair: CopyPair,
  stats: CopyStats,
  fieldContext: string,
): [string, string] {
  stats.shared++;
  const st = a.st;
  st.reset(fieldContext);
  const raw = a.plan.scanner.scanRaw(text, st);
  // The client scanner's raw findings, or null when only a scan of its own can tell them.
  let clientRaw: Finding[] | null = raw;
  if (pair.clientDetectors.size === 0) clientRaw = NONE;
  else if (!pair.sameScanner)
    for (const f of raw)
      if (!pair.clientDetectors.has(f.type)) {
        clientRaw = null;
        break;
      }
  let auditMatches: Finding[] | null = null;
  let clientMatches: Finding[] | null = null;
  const patterns = a.plan.patterns;
  if (patterns.length > 0) {
    auditMatches = [];
    if (c.plan.patterns.length > 0) clientMatches = [];
    for (const p of patterns) {
      const from = auditMatches.length;
      p.findAll(text, auditMatches);
      if (clientMatches !== null && pair.clientPatterns.has(p))
        for (let k = from; k < auditMatches.length; k++) clientMatches.push(copy(auditMatches[k]));
    }
    st.steps += text.length * patterns.length;
  }
  let clientFound: Finding[];
  if (clientRaw === null) {
    stats.rescanned++;
    clientFound = findAll(text, c, fieldContext);
  } else {
    // mergeFindings changes the findings it merges: the client copy gets its own objects.
    clientFound = finish(clientRaw.length === 0 ? NONE : clientRaw.map(copy), clientMatches);
  }
  const auditFound = finish(raw, auditMatches);
  return [render(text, clientFound, c), render(text, auditFound, a)];
}
