/**
 * Reads the whole audit trail back: every chain's records in storage order (which is seq order
 * unless someone tampered with it — the verifier decides), and every checkpoint. Lines that do
 * not parse as records are kept as `malformed`, at their position, so the verifier can report
 * them where they are rather than as a confusing gap.
 */
import { RestError, type BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { AuditRecordSchema, type AuditRecord } from "./record-schema";
import { AUDIT_CONTAINER, CHAINS_PREFIX, parseChainBlobName } from "./blob-layout";
import { readCheckpoints } from "./checkpoint-store";
import type { Checkpoint } from "./checkpoint";

export interface MalformedLine {
  readonly chainId: string;
  /** Position in the chain's stream of lines (records and malformed lines), 0-based. */
  readonly index: number;
  readonly where: string;
  readonly error: string;
}

export interface AuditTrail {
  /** Records per chain, in storage order (= seq order for an intact chain). */
  readonly chains: Map<string, AuditRecord[]>;
  readonly checkpoints: Checkpoint[];
  /** Lines that are not valid records. */
  readonly malformed?: MalformedLine[];
  /** Checkpoint blobs that are not valid checkpoints. */
  readonly malformedCheckpoints?: { readonly chainId: string; readonly where: string }[];
  /** Per chain, where each stream position came from ("<blob>:<line>"), for reports. */
  readonly sources?: Map<string, string[]>;
  /** Per chain, each record's stored line exactly as stored (aligned with `chains`), for exports. */
  readonly lines?: Map<string, string[]>;
}

/** Builds a trail from lines, grouped by chain in the order given. */
export class TrailBuilder {
  readonly chains = new Map<string, AuditRecord[]>();
  readonly malformed: MalformedLine[] = [];
  readonly sources = new Map<string, string[]>();
  readonly lines = new Map<string, string[]>();

  add(text: string, where: string, chainHint?: string): AuditRecord | null {
    let record: AuditRecord | null = null;
    let error = "";
    try {
      record = AuditRecordSchema.parse(JSON.parse(text));
    } catch (e) {
      error = e instanceof SyntaxError ? `not JSON: ${e.message}` : "not a valid audit record";
    }
    const chainId = chainHint ?? record?.chainId ?? /"chainId"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? "(unknown)";
    const src = this.sources.get(chainId) ?? [];
    this.sources.set(chainId, src);
    if (!this.chains.has(chainId)) {
      this.chains.set(chainId, []);
      this.lines.set(chainId, []);
    }
    if (record) {
      this.chains.get(chainId)!.push(record);
      this.lines.get(chainId)!.push(text);
    } else this.malformed.push({ chainId, index: src.length, where, error });
    src.push(where);
    return record;
  }
}

export async function readAuditTrail(opts: {
  blobService: BlobServiceClient;
  container?: string;
  /** Called after each blob, for progress output. */
  onProgress?: (done: number, total: number) => void;
}): Promise<AuditTrail> {
  const container = opts.blobService.getContainerClient(opts.container ?? AUDIT_CONTAINER);
  let blobs: { name: string; chainId: string; index: number }[];
  try {
    blobs = await listChainBlobs(container);
  } catch (e) {
    // No container yet: nothing was ever audited here (the caller decides whether that is fine).
    if (e instanceof RestError && e.statusCode === 404)
      return {
        chains: new Map(),
        checkpoints: [],
        malformed: [],
        malformedCheckpoints: [],
        sources: new Map(),
        lines: new Map(),
      };
    throw e;
  }
  const builder = new TrailBuilder();
  let done = 0;
  for (const b of blobs) {
    const text = (await container.getAppendBlobClient(b.name).downloadToBuffer()).toString("utf8");
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    lines.forEach((line, i) => builder.add(line, `${b.name}:${i + 1}`, b.chainId));
    opts.onProgress?.(++done, blobs.length);
  }
  const stored = await readCheckpoints(container);
  const checkpoints = stored.flatMap((s) => (s.checkpoint ? [s.checkpoint] : []));
  const malformedCheckpoints = stored
    .filter((s) => !s.checkpoint)
    .map((s) => ({ chainId: s.blob.split("/")[1] ?? "(unknown)", where: s.blob }));
  return {
    chains: builder.chains,
    checkpoints,
    malformed: builder.malformed,
    malformedCheckpoints,
    sources: builder.sources,
    lines: builder.lines,
  };
}

/** Chain blobs in (chain, index) order. */
export async function listChainBlobs(
  container: ContainerClient,
): Promise<{ name: string; chainId: string; index: number }[]> {
  const out: { name: string; chainId: string; index: number }[] = [];
  for await (const item of container.listBlobsFlat({ prefix: CHAINS_PREFIX })) {
    const parsed = parseChainBlobName(item.name);
    if (parsed) out.push({ name: item.name, ...parsed });
  }
  return out.sort((a, b) => (a.chainId === b.chainId ? a.index - b.index : a.chainId < b.chainId ? -1 : 1));
}
