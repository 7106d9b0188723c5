/**
 * Reads a claim named by configuration: a top-level name first (namespaced claims such as
 * `https://example.com/claims/roles` contain dots), then a dot path (`realm_access.roles`).
 */
import type { JWTPayload } from "jose";

export function readClaim(payload: JWTPayload, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(payload, path)) return payload[path];
  let v: unknown = payload;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object" || !Object.prototype.hasOwnProperty.call(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** A claim as a list of strings: an array's strings, a single string (space-separated lists stay one value), else none. */
export function claimStrings(payload: JWTPayload, path: string): string[] {
  const v = readClaim(payload, path);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string" && x.length > 0);
  return typeof v === "string" && v ? [v] : [];
}

/** The first non-empty string among the claims. */
export function firstString(payload: JWTPayload, paths: readonly string[]): string | null {
  for (const p of paths) {
    const v = readClaim(payload, p);
    if (typeof v === "string" && v) return v;
  }
  return null;
}
