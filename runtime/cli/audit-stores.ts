/**
 * Several audit stores as one population: a multi-region deployment writes each region's chains
 * into that region's account (docs/decisions/0007), and an auditor reads them together with
 * repeated `--connection-string` / `--blob-url`. `audit verify` checks each store on its own;
 * the evidence reports merge the trails chain by chain, and refuse a chain id found in two stores
 * (a report keys records by chain: the two would interleave and no longer prove anything).
 */
import type { AuditTrail } from "../core/audit/audit-reader";
import { CliError } from "./cli-error";

/** The store flags as commander collects them (each repeatable). */
export interface StoreFlags {
  connectionString?: string[];
  blobUrl?: string[];
}

/** One store's flags, as the single-store code paths take them. */
export interface OneStore {
  connectionString?: string;
  blobUrl?: string;
}

/** Collects a repeatable option's values. */
export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Every store named by the flags, in order; empty when none is (then the usual defaults apply). */
export function storesOf(flags: StoreFlags): OneStore[] {
  return [
    ...(flags.connectionString ?? []).map((connectionString) => ({ connectionString })),
    ...(flags.blobUrl ?? []).map((blobUrl) => ({ blobUrl })),
  ];
}

/** The one store of a command that reads one (export): refuses several. */
export function singleStore(flags: StoreFlags, command: string): OneStore {
  const stores = storesOf(flags);
  if (stores.length > 1)
    throw new CliError(
      `${command} reads one audit store; got ${stores.length} (--connection-string / --blob-url): run it per region`,
      2,
    );
  return stores[0] ?? {};
}

export interface StoreChains {
  /** The store's blob endpoint (never a connection string: it may hold a key). */
  readonly store: string;
  readonly chains: string[];
}

/** One trail of every store's chains and checkpoints; which store each chain came from. */
export function mergeTrails(parts: { store: string; trail: AuditTrail }[]): {
  trail: AuditTrail;
  stores: StoreChains[];
} {
  const owner = new Map<string, string>();
  const merged = {
    chains: new Map<string, AuditTrail["chains"] extends Map<string, infer V> ? V : never>(),
    checkpoints: [] as AuditTrail["checkpoints"][number][],
    malformed: [] as NonNullable<AuditTrail["malformed"]>[number][],
    malformedCheckpoints: [] as NonNullable<AuditTrail["malformedCheckpoints"]>[number][],
    sources: new Map<string, string[]>(),
    lines: new Map<string, string[]>(),
  };
  const stores: StoreChains[] = [];
  for (const { store, trail } of parts) {
    for (const [chainId, records] of trail.chains) {
      const other = owner.get(chainId);
      if (other !== undefined)
        throw new CliError(
          `chain ${chainId} is in two stores (${other} and ${store}): gateways never share a chain id; a CLI chain in two stores (audit export run per region under the default --chain) needs a chain id per region: pass --chain cli-<you>-<region> to those exports`,
          2,
        );
      owner.set(chainId, store);
      merged.chains.set(chainId, records);
      const sources = trail.sources?.get(chainId);
      if (sources)
        merged.sources.set(
          chainId,
          sources.map((s) => `${store} ${s}`),
        );
      const lines = trail.lines?.get(chainId);
      if (lines) merged.lines.set(chainId, lines);
    }
    merged.checkpoints.push(...trail.checkpoints);
    merged.malformed.push(...(trail.malformed ?? []));
    merged.malformedCheckpoints.push(...(trail.malformedCheckpoints ?? []));
    stores.push({ store, chains: [...trail.chains.keys()] });
  }
  return { trail: merged, stores };
}
