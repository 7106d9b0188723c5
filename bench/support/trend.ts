/**
 * The least-squares slope of y over x: the soak's growth per minute. A difference between two
 * samples is at the mercy of where the garbage collector happened to leave the heap at each (the
 * gateway's RSS swings by ~70 MiB between collections under load); a fit over every sample of the
 * second half is not.
 */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}
