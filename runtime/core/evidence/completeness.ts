/**
 * The manifest's completeness statement in plain words, from the same figures `evidence verify`
 * checks: "All 42 audit records of chains gw-a (seq 3..20) and gw-b (seq 0..23) written between
 * A (inclusive) and B (exclusive), UTC, were read; none excluded."
 */
import type { ChainRange } from "./period";
import type { Period } from "./report-types";

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export function completenessStatement(p: {
  period: Period;
  chains: readonly ChainRange[];
  rowCount: number;
  exceptionCount: number;
  sampled: boolean;
}): string {
  const total = p.chains.reduce((n, c) => n + c.recordCount, 0);
  const withRecords = p.chains.filter((c) => c.recordCount > 0);
  const gaps = p.chains.filter((c) => !c.contiguous);
  const span = withRecords.length
    ? ` of ${withRecords.length === 1 ? "chain" : "chains"} ${list(withRecords.map((c) => `${c.chainId} (seq ${c.firstSeq}..${c.lastSeq})`))}`
    : "";
  const empty = p.chains.length - withRecords.length;
  const head =
    `All ${total} audit record(s)${span} written between ${p.period.from} (inclusive) and ${p.period.to} (exclusive), UTC, were read from the audit trail ` +
    `after every chain verified; ${gaps.length ? `INCOMPLETE: ${list(gaps.map((c) => c.chainId))} do not form one contiguous seq range` : "none excluded"}.` +
    (empty ? ` ${empty} other chain(s) have no record in the period.` : "");
  const derived = p.sampled
    ? ` The report holds ${p.rowCount} sampled event(s) drawn from them and ${p.exceptionCount} exception(s).`
    : ` The report derives ${p.rowCount} row(s) and ${p.exceptionCount} exception(s) from them.`;
  return head + derived;
}
