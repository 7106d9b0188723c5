/**
 * Cookie parsing and the secure attributes every Gatehouse cookie carries: HttpOnly,
 * SameSite=Lax (the OIDC redirect back is a top-level GET, which Lax allows), and Secure unless
 * the public URL is plain http on loopback (the local stack), where browsers would drop it.
 */
import type { Request, Response } from "express";

export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function isLoopbackHttp(publicUrl: string): boolean {
  const u = new URL(publicUrl);
  return u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
}

export interface CookieOptions {
  readonly publicUrl: string;
  readonly path: string;
  /** Seconds; 0 deletes the cookie. */
  readonly maxAge: number;
}

export function setCookie(res: Response, name: string, value: string, o: CookieOptions): void {
  const attrs = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${o.path}`,
    `Max-Age=${Math.max(0, Math.floor(o.maxAge))}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (!isLoopbackHttp(o.publicUrl)) attrs.push("Secure");
  res.append("Set-Cookie", attrs.join("; "));
}

export function clearCookie(res: Response, name: string, o: Omit<CookieOptions, "maxAge">): void {
  setCookie(res, name, "", { ...o, maxAge: 0 });
}
