/**
 * Mutable state of one scan, shared by the detectors so that a match costs no allocation
 * beyond its Finding. `steps` counts characters examined: tests use it to prove that work grows
 * linearly with input size (no wall-clock timers).
 */
export interface Finding {
  start: number;
  /** Exclusive. */
  end: number;
  /** Entity type: a detector id or a custom pattern name. */
  type: string;
}

export class ScanState {
  /** Characters examined by the main loop and every detector (instrumentation, see above). */
  steps = 0;
  /** Set by a detector that matched. */
  start = 0;
  end = 0;
  type = "";
  /** False when the scanner must keep scanning inside the match (secret_field values). */
  jump = true;
  /**
   * Set by the scanner before it calls detectors at the start of an alphanumeric run: the run's
   * length and the character code after it (0 at the end), so detectors reject cheaply.
   */
  runLen = 0;
  runAfter = 0;
  /** Lower-cased name of the JSON field the text came from, used as context (may be ""). */
  fieldContext = "";
  /** Memos that keep detectors with unbounded look-ahead linear (see each detector). */
  b64RunStart = -1;
  b64RunEnd = -1;
  pemNoEndAfter = -1;
  connNoMatchUntil = -1;
  secretValueEnd = -1;

  reset(fieldContext = ""): void {
    this.fieldContext = fieldContext;
    this.b64RunStart = -1;
    this.b64RunEnd = -1;
    this.pemNoEndAfter = -1;
    this.connNoMatchUntil = -1;
    this.secretValueEnd = -1;
  }

  /** Records a match; returns true so detectors can `return st.hit(...)`. */
  hit(start: number, end: number, type: string, jump = true): boolean {
    this.start = start;
    this.end = end;
    this.type = type;
    this.jump = jump;
    return true;
  }
}
