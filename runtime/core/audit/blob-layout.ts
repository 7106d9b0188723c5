/**
 * Where the audit trail lives in blob storage. One container (`audit`, WORM in Azure); per
 * chain a series of append blobs, rolled over before the append-blob limits; signed checkpoints
 * beside them. Names sort lexically in write order (zero-padded numbers).
 */
export const AUDIT_CONTAINER = "audit";

const CHAIN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertChainId(chainId: string): void {
  if (!CHAIN_ID.test(chainId))
    throw new TypeError(
      `invalid chain id ${JSON.stringify(chainId)}: expected letters, digits, '.', '_' or '-' (at most 128)`,
    );
}

export const CHAINS_PREFIX = "chains/";
export const CHECKPOINTS_PREFIX = "checkpoints/";
export const KEYS_PREFIX = "keys/";

export function chainBlobName(chainId: string, index: number): string {
  return `${CHAINS_PREFIX}${chainId}/${String(index).padStart(6, "0")}.jsonl`;
}

export function parseChainBlobName(name: string): { chainId: string; index: number } | null {
  const m = /^chains\/([^/]+)\/(\d{6,})\.jsonl$/.exec(name);
  return m ? { chainId: m[1], index: Number(m[2]) } : null;
}

export function checkpointBlobName(chainId: string, seq: number): string {
  return `${CHECKPOINTS_PREFIX}${chainId}/${String(seq).padStart(12, "0")}.json`;
}

export function keyBlobName(kid: string): string {
  return `${KEYS_PREFIX}${encodeURIComponent(kid)}.json`;
}
