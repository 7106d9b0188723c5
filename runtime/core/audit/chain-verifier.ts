/**
 * Verifies audit chains: each record's hash, the links between records, the sequence numbers,
 * and the chain against its signed checkpoints (and log anchors, when given). Reports the FIRST
 * problem of each chain with its position, because everything after a break is unvouched for.
 */
import type { JWK } from "jose";
import { GENESIS_HASH, type AuditRecord } from "./record-schema";
import { recordHash } from "./chain-hash";
import { checkpointHash, verifyCheckpointSignature, type Checkpoint } from "./checkpoint";
import type { AuditTrail } from "./audit-reader";

export const PROBLEM_KINDS = [
  "modified", // a record's content does not match its hash (or the line is not a record)
  "deleted", // records missing: a seq gap, or a link to a record that is not there
  "inserted", // a record that does not belong at this place of the chain
  "reordered", // records out of seq order
  "truncated", // fewer records than a checkpoint or anchor says there were
  "unsigned_rewrite", // the chain is self-consistent but differs from what a signed checkpoint says
  "bad_checkpoint_signature", // a checkpoint whose signature does not verify with the public keys
  "checkpoint_chain_broken", // a checkpoint missing or inserted between signed checkpoints
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface ChainProblem {
  readonly kind: ProblemKind;
  /** Position in the chain's stream of stored lines (0-based); for checkpoint problems, the checkpoint's seq. */
  readonly index: number;
  /** The seq expected at this position. */
  readonly seq: number;
  readonly recordId: string | null;
  /** Blob and line, when known. */
  readonly where: string | null;
  readonly message: string;
}

export interface ChainReport {
  readonly chainId: string;
  readonly records: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly headHash: string | null;
  readonly checkpoints: number;
  readonly verifiedCheckpoints: number;
  readonly latestCheckpointSeq: number | null;
  /** Records after the newest signed checkpoint: vouched for by the chain and anchors only. */
  readonly unsignedTail: number;
  readonly problem: ChainProblem | null;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly chains: ChainReport[];
  /** Things that do not fail verification but limit what it proves. */
  readonly warnings: string[];
}

/** A chain head seen elsewhere (a `gatehouse.anchor` log line): unsigned, but an independent store. */
export interface Anchor {
  readonly chainId: string;
  readonly seq: number;
  readonly hash: string;
}

/** For a segment of a chain (an export): where it starts and, when known, where it must end. */
export interface SegmentBounds {
  readonly firstSeq: number;
  readonly prevHash: string;
  readonly lastSeq?: number;
  readonly lastHash?: string;
}

export interface VerifyOptions {
  /** Public keys for checkpoint signatures; without them signatures are not checked (a warning says so). */
  readonly publicJwks?: readonly JWK[];
  readonly anchors?: readonly Anchor[];
  /** Chains that are segments (exports): verified from `firstSeq` instead of genesis. */
  readonly segments?: ReadonlyMap<string, SegmentBounds>;
}

export function verifyChains(trail: AuditTrail, opts: VerifyOptions = {}): VerifyReport {
  const warnings: string[] = [];
  const keys = opts.publicJwks ?? [];
  if (keys.length === 0 && trail.checkpoints.length > 0) {
    warnings.push("checkpoint signatures were not checked: no public key was given");
  }
  const ids = new Set([...trail.chains.keys(), ...trail.checkpoints.map((c) => c.chainId)]);
  const chains = [...ids].sort().map((chainId) => verifyOne(chainId, trail, keys, opts, warnings));
  return { ok: chains.every((c) => c.problem === null), chains, warnings };
}

function verifyOne(
  chainId: string,
  trail: AuditTrail,
  keys: readonly JWK[],
  opts: VerifyOptions,
  warnings: string[],
): ChainReport {
  const records = trail.chains.get(chainId) ?? [];
  const sources = trail.sources?.get(chainId);
  const malformed = (trail.malformed ?? []).filter((m) => m.chainId === chainId).map((m) => m.index);
  const segment = opts.segments?.get(chainId);
  // Stream index of each record: records are the stream minus the malformed lines.
  const streamIndex: number[] = [];
  for (let s = 0, i = 0; i < records.length; s++) if (!malformed.includes(s)) streamIndex[i++] = s;
  const problems: ChainProblem[] = [];
  const problem = (kind: ProblemKind, index: number, seq: number, r: AuditRecord | null, message: string) =>
    problems.push({
      kind,
      index,
      seq,
      recordId: r?.id ?? null,
      where:
        sources?.[index] ??
        (sources?.length && index >= sources.length ? `after ${sources[sources.length - 1]}` : null),
      message,
    });

  if (malformed.length) {
    const m = (trail.malformed ?? []).find((x) => x.chainId === chainId && x.index === malformed[0])!;
    problem(
      "modified",
      m.index,
      m.index + (segment?.firstSeq ?? 0),
      null,
      `line is not a valid audit record (${m.error})`,
    );
  }

  // 1. The chain itself.
  let expectedSeq = segment?.firstSeq ?? 0;
  let prevHash = segment?.prevHash ?? GENESIS_HASH;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const at = streamIndex[i];
    if (recordHash(r) !== r.hash) {
      problem("modified", at, expectedSeq, r, `record content does not match its hash (seq ${r.seq})`);
      break;
    }
    if (r.chainId !== chainId) {
      problem("inserted", at, expectedSeq, r, `record of chain ${r.chainId} inside chain ${chainId}`);
      break;
    }
    if (r.seq === expectedSeq && r.prevHash === prevHash) {
      expectedSeq++;
      prevHash = r.hash;
      continue;
    }
    const later = records.slice(i + 1);
    if (r.seq === expectedSeq) {
      const next = later[0];
      if (next && next.seq === expectedSeq && next.prevHash === prevHash)
        problem(
          "inserted",
          at,
          expectedSeq,
          r,
          `record ${r.id} does not link to seq ${expectedSeq - 1}; the next one does`,
        );
      else
        problem(
          "deleted",
          at,
          expectedSeq,
          r,
          `seq ${r.seq} does not link to the previous record: records before it were removed or rewritten`,
        );
    } else if (r.seq > expectedSeq) {
      if (later.some((x) => x.seq === expectedSeq))
        problem("reordered", at, expectedSeq, r, `seq ${r.seq} found where seq ${expectedSeq} belongs`);
      else problem("deleted", at, expectedSeq, r, `seq ${expectedSeq}..${r.seq - 1} missing`);
    } else {
      const dup = records.slice(0, i).some((x) => x.seq === r.seq);
      problem(
        dup ? "inserted" : "reordered",
        at,
        expectedSeq,
        r,
        dup ? `seq ${r.seq} appears twice` : `seq ${r.seq} found after seq ${expectedSeq - 1}`,
      );
    }
    break;
  }
  const firstSeq = records.length ? records[0].seq : null;
  const lastSeq = records.length ? records[records.length - 1].seq : null;
  const bySeq = new Map(records.map((r) => [r.seq, r]));
  const base = segment?.firstSeq ?? 0;
  const endSeq = base + records.length - 1;

  // 2. Signed checkpoints: signatures, their own chain, and what they say about the records.
  const cps = trail.checkpoints.filter((c) => c.chainId === chainId).sort((a, b) => a.seq - b.seq);
  let verified = 0;
  let prevCp: Checkpoint | null = null;
  let newestGood: Checkpoint | null = null;
  for (const cp of cps) {
    const sig = keys.length ? verifyCheckpointSignature(cp, keys) : "unchecked";
    if (sig === "invalid" || sig === "unknown_key") {
      problem(
        "bad_checkpoint_signature",
        cp.seq,
        cp.seq,
        null,
        sig === "invalid"
          ? `checkpoint at seq ${cp.seq} has an invalid signature`
          : `checkpoint at seq ${cp.seq} is signed by unknown key ${cp.kid}`,
      );
      continue;
    }
    if (sig === "valid") verified++;
    newestGood = cp;
    const expectedPrev = prevCp ? checkpointHash(prevCp) : segment ? null : GENESIS_HASH;
    if (expectedPrev !== null && cp.prevCheckpointHash !== expectedPrev) {
      problem(
        "checkpoint_chain_broken",
        cp.seq,
        cp.seq,
        null,
        `checkpoint at seq ${cp.seq} does not link to the previous checkpoint`,
      );
    }
    prevCp = cp;
    checkHead(cp, "signed checkpoint");
  }
  for (const a of (opts.anchors ?? []).filter((x) => x.chainId === chainId)) checkHead(a, "anchor");
  for (const m of (trail.malformedCheckpoints ?? []).filter((x) => x.chainId === chainId)) {
    const seq = Number(/(\d+)\.json$/.exec(m.where)?.[1] ?? 0);
    problem("bad_checkpoint_signature", seq, seq, null, `${m.where} is not a valid checkpoint`);
  }
  if (
    segment?.lastSeq !== undefined &&
    (lastSeq !== segment.lastSeq || (segment.lastHash && bySeq.get(segment.lastSeq)?.hash !== segment.lastHash))
  ) {
    problem(
      "truncated",
      records.length,
      endSeq + 1,
      null,
      `the manifest says the segment ends at seq ${segment.lastSeq}; the records end at ${lastSeq ?? "nothing"}`,
    );
  }

  function checkHead(h: { seq: number; hash: string }, what: string): void {
    if (segment && h.seq < segment.firstSeq) return;
    if (segment && segment.lastSeq !== undefined && h.seq > segment.lastSeq) return;
    if (h.seq > endSeq) {
      problem(
        "truncated",
        records.length + malformed.length,
        endSeq + 1,
        null,
        `a ${what} says the chain reached seq ${h.seq}; records end at ${lastSeq ?? "nothing"}`,
      );
      return;
    }
    const r = bySeq.get(h.seq);
    if (r && r.hash !== h.hash)
      problem(
        "unsigned_rewrite",
        streamIndex[records.indexOf(r)],
        h.seq,
        r,
        `record seq ${h.seq} differs from the ${what} (hash ${h.hash.slice(0, 12)}…)`,
      );
  }

  if (
    cps.length === 0 &&
    !opts.anchors?.some((a) => a.chainId === chainId) &&
    records.length > 0 &&
    !segment?.lastHash
  ) {
    warnings.push(`chain ${chainId}: no checkpoint or anchor covers it, so a cut tail would not be detectable here`);
  }
  const unsignedTail = lastSeq === null ? 0 : Math.max(0, lastSeq - (newestGood?.seq ?? base - 1));
  if (newestGood?.reason === "close" && unsignedTail > 0 && !segment) {
    warnings.push(
      `chain ${chainId}: ${unsignedTail} record(s) after its closing checkpoint (seq ${newestGood.seq}) are not signed: ` +
        `appended by a resumed gateway that has not checkpointed yet, or by someone else after it stopped — check them against the anchors`,
    );
  }
  problems.sort((a, b) => a.index - b.index);
  return {
    chainId,
    records: records.length,
    firstSeq,
    lastSeq,
    headHash: records.length ? records[records.length - 1].hash : null,
    checkpoints: cps.length,
    verifiedCheckpoints: verified,
    latestCheckpointSeq: cps.length ? cps[cps.length - 1].seq : null,
    unsignedTail,
    problem: problems[0] ?? null,
  };
}
