/**
 * The approver's page session and its CSRF protection. The session is a Signer-signed JWT cookie
 * (any replica reads it) holding the identity from the id_token and a random synchronizer token;
 * every form must send that token back (compared in constant time) and a cross-origin Origin
 * header is refused.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Request } from "express";
import type { JWTPayload } from "jose";
import { GatehouseError } from "../../core/errors";
import type { Identity } from "../../core/identity";
import { readCookie } from "./cookies";
import type { SignedState } from "./signed-state";

export const SESSION_COOKIE = "gh_approver";
export type PageSession = Identity & { csrf: string };

export async function readPageSession(signed: SignedState, req: Request): Promise<PageSession | null> {
  const p = await signed.verify("gatehouse-approvals-session", readCookie(req, SESSION_COOKIE));
  if (!p || typeof p.oid !== "string" || typeof p.tid !== "string" || typeof p.csrf !== "string") return null;
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  return {
    oid: p.oid,
    tenantId: p.tid,
    username: typeof p.preferred_username === "string" ? p.preferred_username : null,
    roles: strings(p.roles),
    groups: strings(p.groups),
    groupsOverage: p.groupsOverage === true,
    via: "entra",
    jit: null,
    csrf: p.csrf,
  };
}

/** The session cookie's claims from validated id_token claims. */
export function sessionClaims(c: JWTPayload, oid: string, tid: string): Record<string, unknown> {
  const names = (c._claim_names ?? {}) as Record<string, unknown>;
  return {
    sid: randomBytes(16).toString("base64url"),
    csrf: randomBytes(24).toString("base64url"),
    oid,
    tid,
    preferred_username: typeof c.preferred_username === "string" ? c.preferred_username : null,
    roles: Array.isArray(c.roles) ? c.roles : [],
    groups: Array.isArray(c.groups) ? c.groups : [],
    groupsOverage: typeof names === "object" && names !== null && "groups" in names,
  };
}

/** Throws ERR_FORBIDDEN unless the form carries this session's CSRF token and comes from our origin. */
export function assertFormFromPage(req: Request, session: { csrf: string }, publicUrl: string): void {
  const origin = req.get("origin");
  if (origin && origin !== new URL(publicUrl).origin)
    throw new GatehouseError("ERR_FORBIDDEN", "cross-origin form refused");
  const sent = Buffer.from(String((req.body as Record<string, unknown> | undefined)?.csrf ?? ""));
  const want = Buffer.from(session.csrf);
  if (sent.length !== want.length || !timingSafeEqual(sent, want))
    throw new GatehouseError("ERR_FORBIDDEN", "missing or wrong CSRF token");
}
