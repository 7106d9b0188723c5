/**
 * The shape of an alphanumeric run as the scanner sees it before calling any detector: its
 * length, the character after it, and whether a digit follows that character. A detector may
 * declare a RunShape predicate over these; the scanner tabulates it once when it is built, so
 * that rejecting a run costs one array read instead of a call (issue 15: digit runs used to wake
 * the card, SSN and phone detectors one after the other, and most returned false at once).
 */
export type RunShape = (runLen: number, after: number, digitFollows: boolean) => boolean;

/** Run lengths from this one up are one bucket: a RunShape must answer the same for all of them. */
export const SHAPE_MAX_LEN = 32;
/** Every character code from this one up (non-ASCII) is one bucket; 0 stands for the end of the text. */
const SHAPE_MAX_AFTER = 128;

export function shapeIndex(runLen: number, after: number, digitFollows: boolean): number {
  const len = runLen < SHAPE_MAX_LEN ? runLen : SHAPE_MAX_LEN;
  const a = after < SHAPE_MAX_AFTER ? after : SHAPE_MAX_AFTER;
  return ((len * (SHAPE_MAX_AFTER + 1) + a) << 1) | (digitFollows ? 1 : 0);
}

/**
 * A digit run that can start a card, an SSN or a phone number: grouped (`4111 1111`, `415-555`,
 * `020 7946`: a space, dash, dot or slash and another digit), or 9 or 13-19 digits long.
 */
export function numberShaped(runLen: number, after: number, digitFollows: boolean): boolean {
  return (
    ((after === 32 || after === 45 || after === 46 || after === 47) && digitFollows) ||
    runLen === 9 ||
    (runLen >= 13 && runLen <= 19)
  );
}
