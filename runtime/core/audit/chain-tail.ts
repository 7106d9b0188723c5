/**
 * Reads the last record of an append blob without downloading the whole blob: records are
 * newline-terminated JSON lines, so the tail window grows until it holds one whole line.
 */
import type { AppendBlobClient } from "@azure/storage-blob";
import { AuditRecordSchema, type AuditRecord } from "./record-schema";
import { recordHash } from "./chain-hash";

const NEWLINE = 0x0a;

export async function readLastLine(
  blob: AppendBlobClient,
  length: number,
  abortSignal?: AbortSignal,
): Promise<string | null> {
  if (length === 0) return null;
  let window = 64 * 1024;
  for (;;) {
    const start = Math.max(0, length - window);
    const buf = await blob.downloadToBuffer(start, length - start, { abortSignal });
    if (buf[buf.length - 1] !== NEWLINE)
      throw new Error(`${blob.name} does not end with a newline: it was not written by the audit sink`);
    const body = buf.subarray(0, buf.length - 1);
    const nl = body.lastIndexOf(NEWLINE);
    if (nl >= 0) return body.subarray(nl + 1).toString("utf8");
    if (start === 0) return body.toString("utf8");
    window *= 4;
  }
}

/** Parses a stored line and checks its own hash; throws when the tail is not a sound record. */
export function parseTailRecord(line: string, where: string): AuditRecord {
  const record = AuditRecordSchema.parse(JSON.parse(line));
  if (recordHash(record) !== record.hash) throw new Error(`the last record of ${where} does not match its hash`);
  return record;
}
