/**
 * Verifies an export file offline. A complete export (period only) is verified as whole chain
 * segments, anchored on the manifest's ranges and the signed checkpoints it carries. A filtered
 * export cannot be a chain: each record's own hash is checked, adjacent records' links where
 * they are adjacent, and the gaps it cannot vouch for are listed.
 */
import type { JWK } from "jose";
import { sha256Hex } from "../policy-model/canonical-json";
import { recordHash } from "./chain-hash";
import { TrailBuilder, type AuditTrail } from "./audit-reader";
import {
  verifyChains,
  type ChainProblem,
  type ChainReport,
  type SegmentBounds,
  type VerifyReport,
} from "./chain-verifier";
import { verifyCheckpointSignature } from "./checkpoint";
import type { ExportManifest } from "./audit-export";

export interface ExportVerifyReport extends VerifyReport {
  readonly mode: "whole_chains" | "filtered";
  /** null when there is no manifest to compare with. */
  readonly fileSha256Matches: boolean | null;
  /** Seq ranges a filtered export does not contain, so cannot vouch for. */
  readonly gaps: { chainId: string; fromSeq: number; toSeq: number }[];
}

export function trailFromJsonl(text: string, fileName: string): AuditTrail {
  const b = new TrailBuilder();
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((l, i) => b.add(l.replace(/\r$/, ""), `${fileName}:${i + 1}`));
  return { chains: b.chains, malformed: b.malformed, sources: b.sources, lines: b.lines, checkpoints: [] };
}

export function verifyExport(
  body: Buffer,
  fileName: string,
  manifest: ExportManifest | null,
  opts: { publicJwks?: readonly JWK[] } = {},
): ExportVerifyReport {
  const fileSha256Matches = manifest ? sha256Hex(body) === manifest.file.sha256 : null;
  const trail0 = trailFromJsonl(body.toString("utf8"), fileName);
  const trail: AuditTrail = { ...trail0, checkpoints: manifest?.checkpoints ?? [] };
  const warnings: string[] = [];
  if (!manifest) warnings.push(`no manifest beside ${fileName}: ranges, checkpoints and file hash cannot be checked`);
  if (fileSha256Matches === false)
    warnings.push("the file's sha256 differs from the manifest: the file was changed after export");
  const complete = manifest ? manifest.complete : true;
  const base = complete
    ? verifyWhole(trail, manifest, opts, warnings)
    : verifyFiltered(trail, manifest, opts, warnings);
  const ok = base.ok && fileSha256Matches !== false;
  return {
    ...base,
    ok,
    mode: complete ? "whole_chains" : "filtered",
    fileSha256Matches,
    warnings: [...warnings, ...base.warnings],
  };
}

function verifyWhole(
  trail: AuditTrail,
  manifest: ExportManifest | null,
  opts: { publicJwks?: readonly JWK[] },
  warnings: string[],
): VerifyReport & { gaps: [] } {
  const segments = new Map<string, SegmentBounds>();
  for (const [chainId, records] of trail.chains) {
    const m = manifest?.chains.find((c) => c.chainId === chainId);
    if (m)
      segments.set(chainId, {
        firstSeq: m.firstSeq,
        prevHash: m.firstPrevHash,
        lastSeq: m.lastSeq,
        lastHash: m.lastHash,
      });
    else if (records.length) {
      segments.set(chainId, { firstSeq: records[0].seq, prevHash: records[0].prevHash });
      if (manifest) warnings.push(`chain ${chainId} is in the file but not in the manifest`);
    }
  }
  for (const m of manifest?.chains ?? []) {
    if (!trail.chains.has(m.chainId))
      segments.set(m.chainId, {
        firstSeq: m.firstSeq,
        prevHash: m.firstPrevHash,
        lastSeq: m.lastSeq,
        lastHash: m.lastHash,
      });
  }
  const report = verifyChains(withManifestChains(trail, manifest), { publicJwks: opts.publicJwks, segments });
  return { ...report, gaps: [] };
}

function withManifestChains(trail: AuditTrail, manifest: ExportManifest | null): AuditTrail {
  const chains = new Map(trail.chains);
  for (const m of manifest?.chains ?? []) if (!chains.has(m.chainId)) chains.set(m.chainId, []);
  return { ...trail, chains };
}

function verifyFiltered(
  trail: AuditTrail,
  manifest: ExportManifest | null,
  opts: { publicJwks?: readonly JWK[] },
  warnings: string[],
): VerifyReport & { gaps: ExportVerifyReport["gaps"] } {
  const gaps: ExportVerifyReport["gaps"] = [];
  const chains: ChainReport[] = [];
  const keys = opts.publicJwks ?? [];
  if (!keys.length && trail.checkpoints.length)
    warnings.push("checkpoint signatures were not checked: no public key was given");
  for (const [chainId, records] of [...trail.chains].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sources = trail.sources?.get(chainId) ?? [];
    let problem: ChainProblem | null = null;
    const fail = (kind: ChainProblem["kind"], index: number, seq: number, id: string | null, message: string) => {
      problem ??= { kind, index, seq, recordId: id, where: sources[index] ?? null, message };
    };
    const m = manifest?.chains.find((c) => c.chainId === chainId);
    const malformed = (trail.malformed ?? []).find((x) => x.chainId === chainId);
    if (malformed) fail("modified", malformed.index, -1, null, `line is not a valid audit record (${malformed.error})`);
    let expected = m?.firstSeq ?? records[0]?.seq ?? 0;
    records.forEach((r, i) => {
      if (recordHash(r) !== r.hash)
        fail("modified", i, r.seq, r.id, `record content does not match its hash (seq ${r.seq})`);
      const prev = records[i - 1];
      if (prev && r.seq <= prev.seq) fail("reordered", i, r.seq, r.id, `seq ${r.seq} after seq ${prev.seq}`);
      if (prev && r.seq === prev.seq + 1 && r.prevHash !== prev.hash)
        fail("deleted", i, r.seq, r.id, `seq ${r.seq} does not link to seq ${prev.seq}`);
      if (r.seq > expected) gaps.push({ chainId, fromSeq: expected, toSeq: r.seq - 1 });
      expected = Math.max(expected, r.seq + 1);
    });
    if (m && m.lastSeq >= expected) gaps.push({ chainId, fromSeq: expected, toSeq: m.lastSeq });
    if (m && m.records !== records.length)
      fail(
        "truncated",
        records.length,
        -1,
        null,
        `the manifest lists ${m.records} records of this chain; the file has ${records.length}`,
      );
    let verified = 0;
    const cps = trail.checkpoints.filter((c) => c.chainId === chainId);
    for (const cp of cps) {
      const sig = keys.length ? verifyCheckpointSignature(cp, keys) : "unchecked";
      if (sig === "invalid" || sig === "unknown_key")
        fail("bad_checkpoint_signature", cp.seq, cp.seq, null, `checkpoint at seq ${cp.seq} does not verify`);
      if (sig === "valid") verified++;
      const r = records.find((x) => x.seq === cp.seq);
      if (r && r.hash !== cp.hash)
        fail(
          "unsigned_rewrite",
          records.indexOf(r),
          cp.seq,
          r.id,
          `record seq ${cp.seq} differs from the signed checkpoint`,
        );
    }
    chains.push({
      chainId,
      records: records.length,
      firstSeq: records[0]?.seq ?? null,
      lastSeq: records[records.length - 1]?.seq ?? null,
      headHash: records[records.length - 1]?.hash ?? null,
      checkpoints: cps.length,
      verifiedCheckpoints: verified,
      latestCheckpointSeq: cps.length ? Math.max(...cps.map((c) => c.seq)) : null,
      unsignedTail:
        cps.length && records.length
          ? Math.max(0, records[records.length - 1].seq - Math.max(...cps.map((c) => c.seq)))
          : records.length,
      problem,
    });
  }
  if (gaps.length)
    warnings.push(
      `filtered export: ${gaps.length} seq range(s) are not in the file, so nothing can be said about them`,
    );
  // Warnings went into the caller's list already.
  return { ok: chains.every((c) => c.problem === null), chains, warnings: [], gaps };
}
