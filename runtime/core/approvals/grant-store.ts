/**
 * Just-in-time grants in Azure Table Storage. A grant is the record behind a gateway-issued JIT
 * session token (its `grant` claim). Revocation is an ETag-guarded update; every replica sees it
 * within the revocation cache's lifetime (at most 2 s) through `isGrantRevoked`.
 */
import { odata, type TableClient } from "@azure/data-tables";
import { z } from "zod";
import { GatehouseError } from "../errors";
import { PersonSchema } from "./approval-record";
import { isEtagConflict, isNotFound, openTable, type TableLocation } from "./open-table";
import { storeCall, type StoreTimeoutOptions } from "./store-deadline";

const STORE = "grants";

const ROW = "grant";

export const GrantRecordSchema = z.object({
  id: z.string().uuid(),
  holder: PersonSchema.extend({ tenantId: z.string().min(1) }),
  server: z.string().min(1),
  ruleId: z.string().min(1),
  reason: z.string(),
  minutes: z.number().int().positive(),
  createdAt: z.string().datetime(),
  expiresAt: z.string().datetime(),
  /** The approval that allowed it, for rules with grant "approval". */
  approvalId: z.string().nullable().default(null),
  /** Who may revoke besides the holder (the rule's JIT approvers, snapshot). */
  revokers: z.object({ roles: z.array(z.string()), groups: z.array(z.string()) }),
  revokedAt: z.string().datetime().nullable().default(null),
  revokedBy: PersonSchema.nullable().default(null),
});
export type GrantRecord = z.infer<typeof GrantRecordSchema>;

export interface GrantStoreOptions extends StoreTimeoutOptions {
  /** How long a revocation answer is cached per grant; at most 2000. @default 2000 */
  readonly revocationCacheMs?: number;
}

export class GrantStore {
  private readonly cache = new Map<string, { revoked: boolean; until: number }>();
  private readonly cacheMs: number;

  constructor(
    readonly table: TableClient,
    opts: GrantStoreOptions = {},
  ) {
    this.cacheMs = Math.min(2000, Math.max(0, opts.revocationCacheMs ?? 2000));
  }

  static async open(location: TableLocation, tableName = "grants", opts: GrantStoreOptions = {}): Promise<GrantStore> {
    return new GrantStore(await openTable(location, tableName, opts), opts);
  }

  async create(g: GrantRecord): Promise<GrantRecord> {
    const parsed = GrantRecordSchema.parse(g);
    await storeCall(STORE, () =>
      this.table.createEntity({
        partitionKey: parsed.id,
        rowKey: ROW,
        doc: JSON.stringify(parsed),
        holderOid: parsed.holder.oid,
        server: parsed.server,
      }),
    );
    return parsed;
  }

  async get(id: string): Promise<{ grant: GrantRecord; etag: string } | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    try {
      const e = await storeCall(STORE, () => this.table.getEntity<{ doc: string }>(id, ROW));
      return { grant: GrantRecordSchema.parse(JSON.parse(e.doc)), etag: e.etag };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async listForHolder(oid: string): Promise<GrantRecord[]> {
    const out: GrantRecord[] = [];
    const filter = odata`holderOid eq ${oid}`;
    await storeCall(STORE, async () => {
      for await (const e of this.table.listEntities<{ doc: string }>({ queryOptions: { filter } }))
        out.push(GrantRecordSchema.parse(JSON.parse(e.doc)));
    });
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Marks the grant revoked (idempotent). Throws ERR_APPROVAL_NOT_FOUND for an unknown grant. */
  async revoke(id: string, by: { oid: string; username: string | null }, now = new Date()): Promise<GrantRecord> {
    for (let attempt = 1; ; attempt++) {
      const found = await this.get(id);
      if (!found) throw new GatehouseError("ERR_APPROVAL_NOT_FOUND", "no such session grant", { grantId: id });
      if (found.grant.revokedAt) return found.grant;
      const next: GrantRecord = { ...found.grant, revokedAt: now.toISOString(), revokedBy: by };
      try {
        await storeCall(STORE, () =>
          this.table.updateEntity(
            {
              partitionKey: id,
              rowKey: ROW,
              doc: JSON.stringify(next),
              holderOid: next.holder.oid,
              server: next.server,
            },
            "Replace",
            { etag: found.etag },
          ),
        );
        this.cache.set(id, { revoked: true, until: Date.now() + this.cacheMs });
        return next;
      } catch (e) {
        if (isEtagConflict(e) && attempt < 5) continue;
        throw e;
      }
    }
  }

  /**
   * For the gateway's auth: true when the grant is revoked or unknown. A store that cannot be
   * read throws ERR_STORE_UNAVAILABLE (the request is refused with 503, fail closed): the token
   * is not called revoked, so the client retries instead of discarding a valid session.
   * Answers are cached per grant for at most 2 s, so a revocation reaches every replica quickly.
   */
  readonly isGrantRevoked = async (grantId: string): Promise<boolean> => {
    const hit = this.cache.get(grantId);
    if (hit && hit.until > Date.now()) return hit.revoked;
    const found = await this.get(grantId);
    const revoked = !found || found.grant.revokedAt !== null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(grantId, { revoked, until: Date.now() + this.cacheMs });
    return revoked;
  };
}
