/**
 * Verified tokens, keyed by sha256 of the token (the token itself is never kept), until their
 * `exp`: a busy client does not pay a signature check per request. Bounded; oldest evicted first.
 */
import { createHash } from "node:crypto";
import type { Identity } from "../../core/identity";

export class VerifiedTokenCache {
  private readonly entries = new Map<string, { identity: Identity; expMs: number }>();
  constructor(private readonly maxEntries = 10_000) {}

  static key(token: string): string {
    return createHash("sha256").update(token).digest("base64url");
  }

  get(token: string): Identity | null {
    const k = VerifiedTokenCache.key(token);
    const e = this.entries.get(k);
    if (!e) return null;
    if (e.expMs <= Date.now()) {
      this.entries.delete(k);
      return null;
    }
    return e.identity;
  }

  set(token: string, identity: Identity, expSeconds: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(VerifiedTokenCache.key(token), { identity, expMs: expSeconds * 1000 });
  }
}
