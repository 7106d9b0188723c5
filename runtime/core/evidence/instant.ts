/**
 * The one date parser of the CLI and the evidence API: every command that takes a point in time
 * (`--from`, `--to`, …) accepts the same forms and reads them the same way:
 * - a calendar date, `2026-11-28`: midnight UTC at the start of that day;
 * - a timestamp with a zone, `2026-11-28T14:05:00Z`, `2026-11-28T15:05+01:00`, with or without
 *   seconds and fractions.
 * A timestamp without a zone is refused: read in the machine's zone it would silently shift the
 * period by hours between an auditor's laptop and the CI runner.
 */
import { z } from "zod";

const DateOnly = z.iso.date();
const WithSeconds = z.iso.datetime({ offset: true });
const MinutesOnly = z.iso.datetime({ offset: true, precision: -1 });

export const INSTANT_FORMS =
  "a date (2026-11-28, read as midnight UTC) or a timestamp with a zone (2026-11-28T14:05:00Z)";

/** The instant as a UTC ISO-8601 string (milliseconds included), or null when `value` is not one of the forms. */
export function parseInstant(value: string): string | null {
  const v = value.trim();
  if (DateOnly.safeParse(v).success) return `${v}T00:00:00.000Z`;
  if (!WithSeconds.safeParse(v).success && !MinutesOnly.safeParse(v).success) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
