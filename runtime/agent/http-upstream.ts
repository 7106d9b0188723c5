/**
 * A Streamable HTTP upstream: the request is forwarded as raw bytes and the answer streamed back
 * unchanged (the gateway does the masking), with the credential the bundle names injected.
 */
import type { Request, Response } from "express";
import { Readable } from "node:stream";
import { GatehouseError } from "../core/errors";

const FORWARDED = ["content-type", "accept", "mcp-protocol-version", "mcp-session-id", "last-event-id", "mcp-method", "mcp-name", "traceparent", "tracestate"];
const RETURNED = ["content-type", "mcp-session-id", "mcp-protocol-version", "cache-control"];

export async function forwardHttp(url: string, req: Request, res: Response, body: Buffer, injected: Record<string, string>): Promise<void> {
  const headers = new Headers();
  for (const h of FORWARDED) {
    const v = req.headers[h];
    if (typeof v === "string") headers.set(h, v);
  }
  for (const [k, v] of Object.entries(injected)) headers.set(k, v);
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort();
  };
  res.on("close", onClose);
  let upstream: globalThis.Response;
  try {
    upstream = await fetch(url, { method: req.method, headers, body: req.method === "POST" ? body : undefined, signal: controller.signal, redirect: "manual" });
  } catch (e) {
    res.off("close", onClose);
    throw new GatehouseError("ERR_UPSTREAM_UNAVAILABLE", "Bad gateway: the MCP server could not be reached", {}, { cause: e });
  }
  res.status(upstream.status);
  for (const h of RETURNED) {
    const v = upstream.headers.get(h);
    if (v !== null) res.setHeader(h, v);
  }
  if (!upstream.body) return void res.end();
  if ((upstream.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    res.setHeader("x-accel-buffering", "no");
    res.flushHeaders();
  }
  const stream = Readable.fromWeb(upstream.body as import("node:stream/web").ReadableStream);
  stream.on("error", () => res.destroy());
  stream.pipe(res);
  await new Promise<void>((resolve) => res.once("close", resolve));
  res.off("close", onClose);
}
