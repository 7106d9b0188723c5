/**
 * Times on the approval page: relative ("in 14 min", "3 min ago") for reading at a glance, the
 * exact UTC instant in the `datetime` attribute and on hover (`title`). Rendered on the server, so
 * they read right without JavaScript; the page reloads itself to keep them current.
 */
import { esc } from "./page-escape";

export function relative(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  const abs = Math.abs(ms);
  const unit =
    abs < 60_000
      ? "less than a minute"
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 172_800_000
          ? `${Math.round(abs / 3_600_000)} h`
          : `${Math.round(abs / 86_400_000)} days`;
  return ms >= 0 ? `in ${unit}` : `${unit} ago`;
}

export function exactUtc(iso: string): string {
  return `${iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "")} UTC`;
}

/** `<time>` with the relative text, and the exact UTC time in `datetime` and `title`. */
export function timeTag(iso: string | null | undefined, now: Date, prefix = ""): string {
  if (!iso) return "—";
  return `<time datetime="${esc(iso)}" title="${esc(exactUtc(iso))}">${esc(prefix)}${esc(relative(iso, now))}</time>`;
}
