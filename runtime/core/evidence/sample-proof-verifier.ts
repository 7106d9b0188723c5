/**
 * Verifies the chain proof of one sampled event (a line of `sample.jsonl`) offline, with the
 * audit module's verifyChains over the proof as a chain segment: each record's hash and link,
 * and the signed checkpoint's signature and head. `covered` proofs end at the checkpoint, so the
 * sampled record is vouched for by a signature only the gateway key can make.
 */
import type { JWK } from "jose";
import { z } from "zod";
import { AuditRecordSchema } from "../audit/record-schema";
import { CheckpointSchema } from "../audit/checkpoint";
import { verifyChains } from "../audit/chain-verifier";

const SampleDocSchema = z.object({
  eventId: z.string(),
  record: AuditRecordSchema,
  proof: z.object({
    status: z.enum(["covered", "after-last-checkpoint", "unanchored"]),
    checkpoint: CheckpointSchema.nullable(),
    records: z.array(AuditRecordSchema).min(1),
  }),
});

export interface ProofCheck {
  readonly eventId: string;
  readonly ok: boolean;
  readonly status: string;
  /** Whether a checkpoint signature was verified with the given keys. */
  readonly signed: boolean;
  readonly problem: string | null;
}

export function verifySampleProof(doc: unknown, publicJwks: readonly JWK[]): ProofCheck {
  const parsed = SampleDocSchema.safeParse(doc);
  const eventId =
    typeof (doc as { eventId?: unknown })?.eventId === "string" ? (doc as { eventId: string }).eventId : "(unknown)";
  if (!parsed.success)
    return { eventId, ok: false, status: "invalid", signed: false, problem: "not a sample document with a proof" };
  const { record, proof } = parsed.data;
  const fail = (problem: string): ProofCheck => ({ eventId, ok: false, status: proof.status, signed: false, problem });
  const inProof = proof.records.find((r) => r.seq === record.seq);
  if (!inProof || inProof.hash !== record.hash || inProof.id !== record.id)
    return fail("the sampled record is not part of its proof");
  const first = proof.records[0];
  const last = proof.records[proof.records.length - 1];
  if (proof.status === "covered" && (!proof.checkpoint || proof.checkpoint.seq !== last.seq))
    return fail("a covered proof must end at its checkpoint");
  if (proof.status !== "unanchored" && !proof.checkpoint) return fail("the proof names no checkpoint");
  const report = verifyChains(
    { chains: new Map([[record.chainId, proof.records]]), checkpoints: proof.checkpoint ? [proof.checkpoint] : [] },
    {
      publicJwks: [...publicJwks],
      segments: new Map([
        [record.chainId, { firstSeq: first.seq, prevHash: first.prevHash, lastSeq: last.seq, lastHash: last.hash }],
      ]),
    },
  );
  const chain = report.chains.find((c) => c.chainId === record.chainId);
  if (!report.ok || !chain || chain.problem)
    return fail(chain?.problem ? `${chain.problem.kind}: ${chain.problem.message}` : "the proof does not verify");
  const signed = chain.verifiedCheckpoints > 0;
  if (proof.status !== "unanchored" && publicJwks.length > 0 && !signed)
    return fail("the checkpoint signature was not verified");
  return { eventId, ok: true, status: proof.status, signed, problem: null };
}
