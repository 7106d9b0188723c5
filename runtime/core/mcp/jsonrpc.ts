/**
 * JSON-RPC 2.0 message shapes as MCP uses them. The gateway parses every message it authorizes
 * from the raw bytes it forwards (never a body parser in front of the stream).
 */
import { z } from "zod";
import { GatehouseError } from "../errors";

export const RequestIdSchema = z.union([z.string(), z.number().int()]);
export type RequestId = z.infer<typeof RequestIdSchema>;

export const JsonRpcRequestSchema = z.object({
  jsonrpc: z.literal("2.0"),
  id: RequestIdSchema,
  method: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
});
export const JsonRpcNotificationSchema = z.object({
  jsonrpc: z.literal("2.0"),
  method: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
});
export const JsonRpcResultSchema = z.object({
  jsonrpc: z.literal("2.0"),
  id: RequestIdSchema,
  result: z.record(z.string(), z.unknown()),
});
export const JsonRpcErrorSchema = z.object({
  jsonrpc: z.literal("2.0"),
  id: RequestIdSchema.nullable(),
  error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }),
});

export type JsonRpcRequest = z.infer<typeof JsonRpcRequestSchema>;
export type JsonRpcNotification = z.infer<typeof JsonRpcNotificationSchema>;
export type JsonRpcResult = z.infer<typeof JsonRpcResultSchema>;
export type JsonRpcError = z.infer<typeof JsonRpcErrorSchema>;

export type JsonRpcMessage =
  | { kind: "request"; message: JsonRpcRequest }
  | { kind: "notification"; message: JsonRpcNotification }
  | { kind: "result"; message: JsonRpcResult }
  | { kind: "error"; message: JsonRpcError };

/** Classifies one parsed JSON value; null when it is not a JSON-RPC 2.0 message. */
export function classifyMessage(value: unknown): JsonRpcMessage | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if ("method" in v) {
    if ("id" in v) {
      const r = JsonRpcRequestSchema.safeParse(v);
      return r.success ? { kind: "request", message: r.data } : null;
    }
    const n = JsonRpcNotificationSchema.safeParse(v);
    return n.success ? { kind: "notification", message: n.data } : null;
  }
  if ("error" in v) {
    const e = JsonRpcErrorSchema.safeParse(v);
    return e.success ? { kind: "error", message: e.data } : null;
  }
  const r = JsonRpcResultSchema.safeParse(v);
  return r.success ? { kind: "result", message: r.data } : null;
}

/**
 * Parses the body of a client POST: exactly one JSON-RPC message. Batches are refused (MCP
 * 2025-06-18 removed them, and one message per POST keeps authorization and audit one-to-one).
 */
export function parseClientMessage(body: Buffer | string): JsonRpcMessage {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
  } catch {
    throw new GatehouseError("ERR_BAD_REQUEST", "Parse error: the body is not valid JSON", { rpcCode: -32700 });
  }
  if (Array.isArray(value))
    throw new GatehouseError("ERR_BATCH_REFUSED", "JSON-RPC batches are not supported: send one message per request");
  const m = classifyMessage(value);
  if (!m) throw new GatehouseError("ERR_BAD_REQUEST", "Invalid Request: the body is not a JSON-RPC 2.0 message");
  return m;
}

/** The name a policy decides on: the tool, resource URI or prompt of a request. */
export function targetName(method: string, params: Record<string, unknown> | undefined): string | null {
  if (!params) return null;
  if (method === "tools/call" || method === "prompts/get") return typeof params.name === "string" ? params.name : null;
  if (method === "resources/read" || method === "resources/subscribe" || method === "resources/unsubscribe")
    return typeof params.uri === "string" ? params.uri : null;
  return null;
}
