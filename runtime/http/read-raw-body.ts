/**
 * Reads the request body as bytes with a size limit. No body parser sits in front of the proxied
 * stream: the gateway parses the JSON-RPC message from the exact bytes it forwards.
 */
import type { IncomingMessage } from "node:http";
import { GatehouseError } from "../core/errors";

export async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new GatehouseError("ERR_BODY_TOO_LARGE", `Request body too large: at most ${limit} bytes`, { limit });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new GatehouseError("ERR_BODY_TOO_LARGE", `Request body too large: at most ${limit} bytes`, { limit });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
