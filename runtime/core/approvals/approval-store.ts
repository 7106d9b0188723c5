/**
 * Approval records in Azure Table Storage. Every change is an ETag-guarded update (optimistic
 * concurrency): two replicas, or two approvers, can never both win the same transition.
 * Entities keep the whole record as JSON in `doc` plus a few scalar columns for OData filters.
 */
import { odata, type TableClient } from "@azure/data-tables";
import { GatehouseError } from "../errors";
import { ApprovalRecordSchema, type ApprovalRecord, type ApprovalStatus } from "./approval-record";
import { isEtagConflict, isNotFound, openTable, type TableLocation } from "./open-table";
import { storeCall, type StoreTimeoutOptions } from "./store-deadline";

const STORE = "approvals";

const ROW = "approval";
/** Table properties hold at most 64 KiB (32,768 UTF-16 units); approval-size.ts refuses larger records up front. */
const MAX_DOC_CHARS = 32_000;

export interface StoredApproval {
  readonly record: ApprovalRecord;
  readonly etag: string;
}

interface ApprovalEntity {
  partitionKey: string;
  rowKey: string;
  doc: string;
  status: string;
  requesterOid: string;
  server: string;
  tool: string;
  argsHash: string;
  consumed: boolean;
  createdAt: string;
}

export class ApprovalStore {
  constructor(readonly table: TableClient) {}

  static async open(
    location: TableLocation,
    tableName = "approvals",
    opts: StoreTimeoutOptions = {},
  ): Promise<ApprovalStore> {
    return new ApprovalStore(await openTable(location, tableName, opts));
  }

  async create(record: ApprovalRecord): Promise<StoredApproval> {
    const parsed = ApprovalRecordSchema.parse(record);
    const res = await storeCall(STORE, () => this.table.createEntity(toEntity(parsed)));
    return { record: parsed, etag: res.etag! };
  }

  async get(id: string): Promise<StoredApproval | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    try {
      const e = await storeCall(STORE, () => this.table.getEntity<ApprovalEntity>(id, ROW));
      return { record: fromEntity(e), etag: e.etag };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async require(id: string): Promise<StoredApproval> {
    const found = await this.get(id);
    if (!found) throw new GatehouseError("ERR_APPROVAL_NOT_FOUND", "no such approval", { approvalId: id });
    return found;
  }

  /** Replaces the record if it still carries `etag`; throws ERR_APPROVAL_CONFLICT when another writer won. */
  async update(record: ApprovalRecord, etag: string): Promise<StoredApproval> {
    const parsed = ApprovalRecordSchema.parse(record);
    try {
      const res = await storeCall(STORE, () => this.table.updateEntity(toEntity(parsed), "Replace", { etag }));
      return { record: parsed, etag: res.etag! };
    } catch (e) {
      if (isEtagConflict(e)) {
        throw new GatehouseError(
          "ERR_APPROVAL_CONFLICT",
          "the approval was changed concurrently",
          { approvalId: record.id },
          { cause: e },
        );
      }
      throw e;
    }
  }

  /**
   * Records by status, or (`pendingOrSince`) every pending record plus those created since an
   * instant: the page's view, without scanning the whole history on every refresh.
   */
  async list(
    filter: { status?: ApprovalStatus; pendingOrSince?: Date; limit?: number } = {},
  ): Promise<StoredApproval[]> {
    const queryFilter = filter.pendingOrSince
      ? odata`status eq 'pending' or createdAt ge ${filter.pendingOrSince.toISOString()}`
      : filter.status
        ? odata`status eq ${filter.status}`
        : undefined;
    const out: StoredApproval[] = [];
    await storeCall(STORE, async () => {
      for await (const e of this.table.listEntities<ApprovalEntity>({ queryOptions: { filter: queryFilter } })) {
        // The table also holds the gateway's questions to requesters (elicitation-store.ts): not approvals.
        if (e.rowKey !== ROW) continue;
        out.push({ record: fromEntity(e), etag: e.etag });
        if (out.length >= (filter.limit ?? 500)) break;
      }
    });
    return out.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
  }

  /** Approved, not yet consumed records covering exactly this requester, server, tool and arguments. */
  async findReusable(q: {
    requesterOid: string;
    server: string;
    tool: string;
    argsHash: string;
  }): Promise<StoredApproval[]> {
    const filter = odata`status eq 'approved' and consumed eq false and requesterOid eq ${q.requesterOid} and server eq ${q.server} and tool eq ${q.tool} and argsHash eq ${q.argsHash}`;
    const out: StoredApproval[] = [];
    await storeCall(STORE, async () => {
      for await (const e of this.table.listEntities<ApprovalEntity>({ queryOptions: { filter } }))
        if (e.rowKey === ROW) out.push({ record: fromEntity(e), etag: e.etag });
    });
    return out;
  }
}

function toEntity(r: ApprovalRecord): ApprovalEntity {
  const doc = JSON.stringify(r);
  // Never truncated: an approver must see all of what they approve (approval-size.ts).
  if (doc.length > MAX_DOC_CHARS)
    throw new GatehouseError("ERR_APPROVAL_TOO_LARGE", "the approval record is too large to store", {
      approvalId: r.id,
      sizeChars: doc.length,
    });
  return {
    partitionKey: r.id,
    rowKey: ROW,
    doc,
    status: r.status,
    requesterOid: r.requester.oid,
    server: r.server,
    tool: r.tool,
    argsHash: r.argsHash,
    consumed: r.consumedAt !== null,
    createdAt: r.createdAt,
  };
}

function fromEntity(e: { doc?: unknown }): ApprovalRecord {
  return ApprovalRecordSchema.parse(JSON.parse(String(e.doc)));
}
