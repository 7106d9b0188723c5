/**
 * manifest.json of an evidence package: how the evidence was produced (report and version,
 * source, exact filters, extraction time), how complete it is (record count and, per chain, the
 * seq range and chain hashes at both ends of the period) and the sha256 of every file.
 */
import { z } from "zod";

export const MANIFEST_VERSION = 1;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const ChainRangeSchema = z.object({
  chainId: z.string(),
  firstSeq: z.number().int().nonnegative().nullable(),
  lastSeq: z.number().int().nonnegative().nullable(),
  recordCount: z.number().int().nonnegative(),
  hashBefore: Hex64.nullable(),
  hashAtEnd: Hex64.nullable(),
  contiguous: z.boolean(),
});

export const ManifestFileSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/),
  sha256: Hex64,
  bytes: z.number().int().nonnegative(),
});
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

/**
 * One audit store of a multi-region population (docs/decisions/0007): its endpoint and the chains
 * read from it; their seq ranges are in the manifest's `chains`.
 */
export const SourceStoreSchema = z.object({ endpoint: z.string(), chains: z.array(z.string()) });
export type SourceStore = z.infer<typeof SourceStoreSchema>;

/** How the package came to be: enough for an audit firm to re-run it and to know whom to ask. */
export const ProducedBySchema = z.object({
  /** The exact command line (secrets redacted), or the API request. */
  command: z.string(),
  /** The Log Analytics query, for a report read from the workspace; null: computed from the WORM audit container. */
  kql: z.string().nullable(),
  /** Who ran it; `source` says how that is known (entra, token_claims, os_user: docs/evidence.md). */
  user: z.object({ oid: z.string().nullable(), username: z.string().nullable(), source: z.string() }),
  at: z.string(),
  tool: z.object({ name: z.literal("gatehouse"), version: z.string() }),
});
export type ProducedBy = z.infer<typeof ProducedBySchema>;

/** Detached signature of the manifest with the gateway's checkpoint key (verified offline with its public JWK). */
export const ManifestSignatureSchema = z.object({
  alg: z.string(),
  kid: z.string(),
  /** base64url signature over the canonical JSON (RFC 8785) of manifest.json without `signature`. */
  value: z.string().min(1),
});
export type ManifestSignature = z.infer<typeof ManifestSignatureSchema>;

export const EvidenceManifestSchema = z.object({
  manifestVersion: z.literal(MANIFEST_VERSION),
  report: z.object({ name: z.string(), version: z.string() }),
  generator: z.object({ name: z.literal("gatehouse"), version: z.string() }),
  source: z.object({
    /** `azure-blob`: the WORM audit container (Azurite locally). */
    type: z.string(),
    /** Storage account endpoint, never a key or SAS. */
    endpoint: z.string().nullable(),
    container: z.string(),
    chains: z.array(z.string()),
    /** Several stores read as one population (one per region); absent for one store. */
    stores: z.array(SourceStoreSchema).optional(),
  }),
  /** Exactly what was asked: period and report options. */
  filters: z.record(z.string(), z.unknown()),
  period: z.object({ from: z.string(), to: z.string() }),
  extractedAt: z.string(),
  /** Audit records in the period, all chains (the population the report is drawn from). */
  recordCount: z.number().int().nonnegative(),
  rowCount: z.number().int().nonnegative(),
  exceptionCount: z.number().int().nonnegative(),
  chains: z.array(ChainRangeSchema),
  /** Result of the audit engineer's chain verification over the whole trail, when it ran. */
  chainVerification: z.object({ ok: z.boolean(), summary: z.string() }).nullable(),
  policy: z.object({ suppliedVersions: z.array(z.string()), commitCheck: z.enum(["git", "unverifiable"]) }),
  files: z.array(ManifestFileSchema),
  producedBy: ProducedBySchema.optional(),
  /** The population in plain words: how many records of which chains and seq ranges, which period, none excluded. */
  completeness: z.string().optional(),
  signature: ManifestSignatureSchema.optional(),
});
export type EvidenceManifest = z.infer<typeof EvidenceManifestSchema>;
