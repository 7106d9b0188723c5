import type { RunShape } from "./run-shape";
import type { ScanState } from "./scan-state";

/**
 * A built-in detector. The scanner calls `match` only at positions whose character is one of
 * `triggers` (a dispatch on the first character); alphanumeric triggers are only tried at the
 * start of an alphanumeric run. A detector reads a bounded window after `i`, or an unbounded one
 * guarded by a memo in ScanState, so that a whole scan stays linear in the input length.
 * On a match it calls `st.hit(start, end, type)` and returns true.
 *
 * The optional pre-filters below let the scanner skip calls that would return false. Each must
 * be implied by `match`'s own checks, never stricter: a filter that rejects a position where
 * `match` would have matched silently leaves that value unmasked. golden-output.test.ts compares
 * the whole catalogue's output with digests of the engine before the filters existed.
 */
export interface Detector {
  readonly id: string;
  /** Characters at which `match` is tried. */
  readonly triggers: string;
  /**
   * Optional pre-filter for alphanumeric triggers: the detector cannot match an alphanumeric run
   * shorter than this that ends in anything but `+` or `/`. The scanner measures the run
   * anyway (to skip it), so most words cost no call at all.
   */
  readonly minRun?: number;
  /**
   * Optional pre-filter for alphanumeric triggers, on the run's shape (see run-shape.ts): false
   * where the detector cannot match a run of that length followed by that character. The scanner
   * tabulates it once per scanner, so a rejected run costs no call.
   */
  readonly runShape?: RunShape;
  /**
   * Optional pre-filter: ASCII characters that, just before the trigger, rule a match out (the
   * detector's own first check, tabulated by the scanner so that it costs no call).
   */
  readonly notPrecededBy?: string;
  /**
   * Optional pre-filter: the only ASCII characters that may come just after the trigger
   * character (at i + 1) in a match; tabulated by the scanner like notPrecededBy.
   */
  readonly followedBy?: string;
  /**
   * Optional pre-filter for alphanumeric triggers: a match needs at least this many digits in
   * the number that starts at the trigger (see digits-ahead.ts; the detector reads no further).
   */
  readonly minDigits?: number;
  match(text: string, i: number, st: ScanState): boolean;
}
