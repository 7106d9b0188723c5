/**
 * Cutting the audit period out of each chain, and the per-chain ranges the manifest records.
 * A chain's records are in seq order and its times never go backwards, so the records of a
 * period form one contiguous seq range per chain: that range is what makes a population complete.
 */
import type { AuditRecord } from "../audit/record-schema";
import { INSTANT_FORMS, parseInstant } from "./instant";
import type { Period } from "./report-types";

/**
 * Validates and normalises a period (UTC, `from` < `to`) given in any form parseInstant accepts;
 * throws a TypeError naming the bad bound.
 */
export function parsePeriod(from: string, to: string): Period {
  const [f, t] = (
    [
      ["from", from],
      ["to", to],
    ] as const
  ).map(([name, value]) => {
    const iso = parseInstant(value);
    if (!iso) throw new TypeError(`--${name}: expected ${INSTANT_FORMS}, got ${JSON.stringify(value)}`);
    return iso;
  });
  if (f >= t) throw new TypeError(`--from must be before --to (got ${f} and ${t})`);
  return { from: f, to: t };
}

export function inPeriod(time: string, period: Period): boolean {
  const t = new Date(time).toISOString();
  return t >= period.from && t < period.to;
}

/** The records of one chain inside the period. */
export function chainRecordsInPeriod(records: readonly AuditRecord[], period: Period): AuditRecord[] {
  return records.filter((r) => inPeriod(r.time, period));
}

/** Every chain's records in the period, chains in name order, records in seq order. */
export function recordsInPeriod(chains: ReadonlyMap<string, readonly AuditRecord[]>, period: Period): AuditRecord[] {
  const out: AuditRecord[] = [];
  // A loop, not push(...list): spreading a chain of a million records would overflow the stack.
  for (const id of [...chains.keys()].sort())
    for (const r of chainRecordsInPeriod(chains.get(id) ?? [], period)) out.push(r);
  return out;
}

export interface ChainRange {
  readonly chainId: string;
  /** null when the chain has no record in the period. */
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly recordCount: number;
  /** The chain hash just before the period (prevHash of its first record) and at its end. */
  readonly hashBefore: string | null;
  readonly hashAtEnd: string | null;
  /** Whether the period's records are exactly the seq range firstSeq..lastSeq. */
  readonly contiguous: boolean;
}

export function chainRanges(chains: ReadonlyMap<string, readonly AuditRecord[]>, period: Period): ChainRange[] {
  return [...chains.keys()].sort().map((chainId) => {
    const recs = chainRecordsInPeriod(chains.get(chainId) ?? [], period);
    if (recs.length === 0) {
      return {
        chainId,
        firstSeq: null,
        lastSeq: null,
        recordCount: 0,
        hashBefore: null,
        hashAtEnd: null,
        contiguous: true,
      };
    }
    const first = recs[0];
    const last = recs[recs.length - 1];
    const contiguous = recs.every((r, i) => r.seq === first.seq + i);
    return {
      chainId,
      firstSeq: first.seq,
      lastSeq: last.seq,
      recordCount: recs.length,
      hashBefore: first.prevHash,
      hashAtEnd: last.hash,
      contiguous,
    };
  });
}
