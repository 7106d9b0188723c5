/**
 * CSV as RFC 4180 (CRLF, double quotes doubled), the format compliance tools and spreadsheets
 * import. Text cells that a spreadsheet would run as a formula (leading = + - @ tab CR) are
 * prefixed with a single quote, so evidence opened in Excel cannot execute anything. Time columns
 * say `(UTC)` in the header: the values are ISO-8601 instants in UTC, and a spreadsheet hides the `Z`.
 */
import { isTimeColumn } from "./column-dictionary";
import type { Cell, Row } from "./report-types";

const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(v: Cell | undefined): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (typeof v === "string" && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => csvCell(isTimeColumn(c) ? `${c} (UTC)` : c)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}

/** Parses CSV text into records of cells (quoted fields, CRLF or LF). Throws a TypeError on an unclosed quote. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      out.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (quoted) throw new TypeError("the CSV has an unclosed quoted field");
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    out.push(row);
  }
  return out.filter((r) => !(r.length === 1 && r[0] === ""));
}
