/**
 * Where a live policy bundle is read from: a blob (Azure; conditional GET on the last ETag, so an
 * unchanged bundle costs one 304) or a file (local stack; re-read only when mtime or size moved,
 * tagged by content hash so a touch without a change is no reload).
 */
import fs from "node:fs";
import type { BlobClient } from "@azure/storage-blob";
import { contentTag, type PolicySource, type SourceRead } from "./live-policy";

export function filePolicySource(path: string): PolicySource {
  let lastStat: string | null = null;
  return {
    description: path,
    async read(tag) {
      const st = await fs.promises.stat(path);
      const stat = `${st.mtimeMs}:${st.size}`;
      if (tag !== null && stat === lastStat) return { unchanged: true };
      const text = await fs.promises.readFile(path, "utf8");
      lastStat = stat;
      return { unchanged: false, text, tag: contentTag(text) };
    },
  };
}

export function blobPolicySource(blob: BlobClient): PolicySource {
  const url = new URL(blob.url);
  url.search = ""; // never log a SAS token
  return {
    description: url.toString(),
    async read(tag): Promise<SourceRead> {
      try {
        const r = await blob.download(0, undefined, tag ? { conditions: { ifNoneMatch: tag } } : {});
        if (r._response.status === 304) return { unchanged: true };
        const chunks: Buffer[] = [];
        for await (const c of r.readableStreamBody!) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
        if (!r.etag) throw new Error("the blob service returned no ETag");
        return { unchanged: false, text: Buffer.concat(chunks).toString("utf8"), tag: r.etag };
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 304) return { unchanged: true };
        throw e;
      }
    },
  };
}
