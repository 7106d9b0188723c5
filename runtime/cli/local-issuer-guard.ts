/**
 * Decides whether a URL is the local development issuer, so dev-only tools (`gatehouse token`)
 * cannot be pointed at a real identity provider: the URL must be plain http on a loopback address,
 * and its OpenID discovery document must name exactly that URL as the issuer and serve its token
 * endpoint from the same origin.
 */
import { z } from "zod";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

const DiscoverySchema = z.object({ issuer: z.string(), token_endpoint: z.string() });

export type IssuerCheck =
  | { ok: true; issuer: string; tokenEndpoint: string }
  | { ok: false; reason: "not-loopback" | "unreachable" | "not-local-issuer"; message: string };

const trimSlash = (u: string): string => u.replace(/\/+$/, "");

export function isLoopbackHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "http:" && LOOPBACK.has(u.hostname) && !u.username && !u.password;
  } catch {
    return false;
  }
}

export async function checkLocalIssuer(url: string, timeoutMs = 15_000): Promise<IssuerCheck> {
  if (!isLoopbackHttpUrl(url)) {
    return {
      ok: false,
      reason: "not-loopback",
      message: `${url} is not a loopback http URL; this command only talks to the local issuer of npm run dev`,
    };
  }
  const base = trimSlash(url);
  let body: unknown;
  try {
    const res = await fetch(`${base}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "error",
    });
    if (!res.ok)
      return {
        ok: false,
        reason: "not-local-issuer",
        message: `${base} answered its discovery document with HTTP ${res.status}`,
      };
    body = await res.json();
  } catch (e) {
    return {
      ok: false,
      reason: "unreachable",
      message: `the issuer at ${base} is not answering (${e instanceof Error ? e.message : String(e)}); start the local stack with npm run dev`,
    };
  }
  const doc = DiscoverySchema.safeParse(body);
  if (!doc.success || trimSlash(doc.data.issuer) !== base) {
    return {
      ok: false,
      reason: "not-local-issuer",
      message: `the discovery document at ${base} does not name ${base} as its issuer`,
    };
  }
  if (new URL(doc.data.token_endpoint).origin !== new URL(base).origin) {
    return { ok: false, reason: "not-local-issuer", message: `the token endpoint of ${base} is on another origin` };
  }
  return { ok: true, issuer: base, tokenEndpoint: doc.data.token_endpoint };
}
