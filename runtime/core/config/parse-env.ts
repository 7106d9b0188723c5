/**
 * Reads environment variables through a zod object schema whose keys are the variable names, so
 * every problem names the variable (ERR_CONFIG_INVALID lists them all at once).
 */
import { z } from "zod";
import { GatehouseError } from "../errors";

export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  // Empty strings count as unset: `FOO= node ...` and compose files with blank values are common.
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== "") cleaned[k] = v.trim();
  const parsed = schema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${String(i.path[0] ?? "(environment)")}: ${i.message}`);
  throw new GatehouseError("ERR_CONFIG_INVALID", `invalid configuration:\n  ${problems.join("\n  ")}`, { problems });
}

/** Comma-separated list. */
export const csv = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);

/** An integer variable with a range. */
export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** An absolute http(s) URL. */
// zod runs a refinement even when .url() failed: parse defensively, else a value that is no URL at
// all ("agent") throws ERR_INVALID_URL out of the parse instead of being reported with its variable.
export const httpUrl = z
  .string()
  .url()
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), "must be an http(s) URL");

/** Loopback hosts: the only ones where plain http is acceptable and where binding is private. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

const WILDCARD = new Set(["0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0"]);

/** Wildcard bind addresses: a process listening on one is behind something else (ingress, a load balancer). */
export function isWildcardHost(host: string): boolean {
  return WILDCARD.has(host.trim().toLowerCase());
}
