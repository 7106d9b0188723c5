/**
 * Checkpoints and the signer's public key in the audit container: one small block blob per
 * checkpoint, created with If-None-Match: * so an existing checkpoint is never overwritten
 * (the container is WORM in Azure besides).
 */
import type { ContainerClient } from "@azure/storage-blob";
import type { JWK } from "jose";
import { CHECKPOINTS_PREFIX, KEYS_PREFIX, checkpointBlobName, keyBlobName } from "./blob-layout";
import { CheckpointSchema, type Checkpoint } from "./checkpoint";

export async function writeCheckpoint(
  container: ContainerClient,
  cp: Checkpoint,
  abortSignal?: AbortSignal,
): Promise<void> {
  const body = JSON.stringify(cp);
  await container.getBlockBlobClient(checkpointBlobName(cp.chainId, cp.seq)).upload(body, Buffer.byteLength(body), {
    conditions: { ifNoneMatch: "*" },
    blobHTTPHeaders: { blobContentType: "application/json" },
    abortSignal,
  });
}

export interface StoredCheckpoint {
  readonly blob: string;
  /** The parsed checkpoint, or null when the blob is not a well-formed checkpoint. */
  readonly checkpoint: Checkpoint | null;
  readonly raw: string;
}

/** Every checkpoint of one chain (or all chains), in blob-name order (= seq order per chain). */
export async function readCheckpoints(container: ContainerClient, chainId?: string): Promise<StoredCheckpoint[]> {
  const out: StoredCheckpoint[] = [];
  const prefix = chainId ? `${CHECKPOINTS_PREFIX}${chainId}/` : CHECKPOINTS_PREFIX;
  for await (const item of container.listBlobsFlat({ prefix })) {
    const raw = (await container.getBlockBlobClient(item.name).downloadToBuffer()).toString("utf8");
    let checkpoint: Checkpoint | null;
    try {
      checkpoint = CheckpointSchema.parse(JSON.parse(raw));
    } catch {
      checkpoint = null;
    }
    out.push({ blob: item.name, checkpoint, raw });
  }
  return out;
}

/** The newest checkpoint of a chain (names sort by seq), without downloading the others. */
export async function readLastCheckpoint(container: ContainerClient, chainId: string): Promise<Checkpoint | null> {
  let last: string | null = null;
  for await (const item of container.listBlobsFlat({ prefix: `${CHECKPOINTS_PREFIX}${chainId}/` }))
    if (!last || item.name > last) last = item.name;
  if (!last) return null;
  const raw = (await container.getBlockBlobClient(last).downloadToBuffer()).toString("utf8");
  const parsed = CheckpointSchema.safeParse(JSON.parse(raw));
  // A newest checkpoint that is not valid would break the checkpoint chain: refuse to continue it.
  if (!parsed.success) throw new Error(`${last} is not a valid checkpoint`);
  return parsed.data;
}

/** Publishes the signer's public key beside the trail (a convenience, not a trust anchor). */
export async function publishPublicKey(container: ContainerClient, jwk: JWK): Promise<void> {
  if (!jwk.kid) return;
  const body = JSON.stringify(jwk);
  await container
    .getBlockBlobClient(keyBlobName(jwk.kid))
    .upload(body, Buffer.byteLength(body), {
      conditions: { ifNoneMatch: "*" },
      blobHTTPHeaders: { blobContentType: "application/json" },
    })
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode !== 409 && e.statusCode !== 412) throw e;
    });
}

export async function readPublishedKeys(container: ContainerClient): Promise<JWK[]> {
  const keys: JWK[] = [];
  for await (const item of container.listBlobsFlat({ prefix: KEYS_PREFIX })) {
    try {
      keys.push(JSON.parse((await container.getBlockBlobClient(item.name).downloadToBuffer()).toString("utf8")) as JWK);
    } catch {
      // An unreadable key file simply verifies nothing.
    }
  }
  return keys;
}
