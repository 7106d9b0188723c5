/**
 * The gateway's own questions to a requester (MCP elicitation of a reason or a confirmation), as
 * rows of the approvals table (RowKey `elicitation`; the deployment grants the gateway that table
 * only, and a question belongs with the approval it precedes): the call waiting for the answer may
 * be held by one replica while the client POSTs the answer to another. The answering replica writes the (masked) answer into the
 * row with an ETag-guarded update, so a question is answered once; the waiting replica polls the
 * row the way approval waits poll theirs. Rows hold no unmasked text: a reason is masked before
 * it is written.
 */
import { z } from "zod";
import type { TableClient } from "@azure/data-tables";
import { GatehouseError } from "../errors";
import { isEtagConflict, isNotFound } from "./open-table";
import { storeCall } from "./store-deadline";

const STORE = "approvals";
/** Never `approval` (approval-store.ts skips other rows); no status or createdAt column, so its OData filters never match. */
const ROW = "elicitation";

export const ElicitationRecordSchema = z.object({
  id: z.string().uuid(),
  /** `reason`: a free-text reason for the approvers; `confirm`: the requester's own yes or no. */
  purpose: z.enum(["reason", "confirm"]),
  status: z.enum(["pending", "answered"]),
  requesterOid: z.string().min(1),
  server: z.string().min(1),
  /** The upstream session the question was asked in (the answer must come from it); null when stateless. */
  upstreamSessionId: z.string().nullable(),
  ruleId: z.string().min(1),
  correlationId: z.string().min(1),
  createdAt: z.string().datetime(),
  expiresAt: z.string().datetime(),
  /** The client's answer (MCP ElicitResult action), once answered. */
  action: z.enum(["accept", "decline", "cancel"]).nullable().default(null),
  /** The reason given, masked; null unless accepted with a reason. */
  reason: z.string().nullable().default(null),
  /** The confirmation given; null unless accepted with a boolean. */
  confirm: z.boolean().nullable().default(null),
  answeredAt: z.string().datetime().nullable().default(null),
});
export type ElicitationRecord = z.infer<typeof ElicitationRecordSchema>;

export interface ElicitationAnswer {
  readonly action: "accept" | "decline" | "cancel";
  readonly reason: string | null;
  readonly confirm: boolean | null;
}

interface Stored {
  readonly record: ElicitationRecord;
  readonly etag: string;
}

export class ElicitationStore {
  /** `table`: the approvals table (ApprovalStore.table). */
  constructor(readonly table: TableClient) {}

  async create(record: ElicitationRecord): Promise<ElicitationRecord> {
    const parsed = ElicitationRecordSchema.parse(record);
    await storeCall(STORE, () =>
      this.table.createEntity({ partitionKey: parsed.id, rowKey: ROW, doc: JSON.stringify(parsed) }),
    );
    return parsed;
  }

  async get(id: string): Promise<Stored | null> {
    try {
      const e = await storeCall(STORE, () => this.table.getEntity<{ doc: string }>(id, ROW));
      return { record: ElicitationRecordSchema.parse(JSON.parse(String(e.doc))), etag: e.etag };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /**
   * Writes the answer into a pending question of this requester, server and session, once.
   * Anything else (unknown, answered already, expired, someone else's) is ERR_UNSOLICITED_RESPONSE.
   */
  async answer(
    id: string,
    from: { oid: string; server: string; upstreamSessionId: string | null },
    answer: ElicitationAnswer,
    now = new Date(),
  ): Promise<ElicitationRecord> {
    const unsolicited = () =>
      new GatehouseError(
        "ERR_UNSOLICITED_RESPONSE",
        "Invalid Request: this answers no question the gateway is waiting on in this session",
      );
    const found = await this.get(id);
    const r = found?.record;
    if (
      !found ||
      !r ||
      r.status !== "pending" ||
      r.requesterOid !== from.oid ||
      r.server !== from.server ||
      r.upstreamSessionId !== from.upstreamSessionId ||
      now.getTime() >= Date.parse(r.expiresAt)
    )
      throw unsolicited();
    const next: ElicitationRecord = { ...r, status: "answered", ...answer, answeredAt: now.toISOString() };
    try {
      await storeCall(STORE, () =>
        this.table.updateEntity({ partitionKey: id, rowKey: ROW, doc: JSON.stringify(next) }, "Replace", {
          etag: found.etag,
        }),
      );
    } catch (e) {
      // Two answers raced: the first one counts, the second answers nothing.
      if (isEtagConflict(e)) throw unsolicited();
      throw e;
    }
    return next;
  }

  /** Removes a question once its waiter has read the answer (or given up). */
  async remove(id: string): Promise<void> {
    try {
      await storeCall(STORE, () => this.table.deleteEntity(id, ROW));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
