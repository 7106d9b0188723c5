/**
 * "3 min ago", "in 14 min": times in the CLI's text output, relative to now, with the exact UTC
 * instant beside them (text output is for people; --json keeps the ISO instants).
 */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

const format = new Intl.RelativeTimeFormat("en", { numeric: "always", style: "short" });

/** `iso` relative to `now` in the largest whole unit, e.g. "5 min. ago", "in 2 hr."; the input when it is not a time. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const diff = t - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === "second") return format.format(Math.trunc(diff / ms), unit);
  }
  return iso;
}
