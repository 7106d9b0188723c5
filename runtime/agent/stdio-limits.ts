/**
 * Bounds on the stdio processes one agent spawns: each `initialize` of a stdio server starts a
 * process (~65 MB for server-filesystem), so sessions are capped per identity and per agent, and
 * an idle session ends sooner than a server's own (default 15 min) idle timeout. A capped
 * `initialize` is refused with ERR_SESSION_LIMIT (HTTP 429, a JSON-RPC error).
 */
import { GatehouseError } from "../core/errors";

export interface StdioSessionLimits {
  /** Live stdio sessions per identity (the gateway token's `sub`), across servers. @default 4 */
  readonly maxPerIdentity?: number;
  /** Live stdio sessions in this agent. @default 32 */
  readonly maxTotal?: number;
  /** Upper bound on a session's idle time, whatever the server's `timeouts.idleMs`. @default 300000 (5 min) */
  readonly maxIdleMs?: number;
}

export const STDIO_LIMIT_DEFAULTS = { maxPerIdentity: 4, maxTotal: 32, maxIdleMs: 5 * 60_000 } as const;

/** Counts live sessions per owner; `reserve` throws ERR_SESSION_LIMIT when a cap is reached. */
export class SessionQuota {
  private readonly perOwner = new Map<string, number>();
  private total = 0;
  private readonly maxPerIdentity: number;
  private readonly maxTotal: number;

  constructor(limits: StdioSessionLimits = {}) {
    this.maxPerIdentity = limits.maxPerIdentity ?? STDIO_LIMIT_DEFAULTS.maxPerIdentity;
    this.maxTotal = limits.maxTotal ?? STDIO_LIMIT_DEFAULTS.maxTotal;
  }

  /** Takes one slot for `owner` (synchronously, so concurrent initializes cannot both pass); returns its release. */
  reserve(owner: string): () => void {
    if (this.total >= this.maxTotal) {
      throw new GatehouseError(
        "ERR_SESSION_LIMIT",
        `This agent already runs ${this.maxTotal} stdio sessions: close one (DELETE) or retry when an idle one has ended`,
        { limit: this.maxTotal, scope: "agent" },
      );
    }
    const mine = this.perOwner.get(owner) ?? 0;
    if (mine >= this.maxPerIdentity) {
      throw new GatehouseError(
        "ERR_SESSION_LIMIT",
        `You already have ${this.maxPerIdentity} open stdio sessions on this agent: close one (DELETE) or retry when an idle one has ended`,
        { limit: this.maxPerIdentity, scope: "identity" },
      );
    }
    this.perOwner.set(owner, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perOwner.get(owner) ?? 1) - 1;
      if (left <= 0) this.perOwner.delete(owner);
      else this.perOwner.set(owner, left);
    };
  }
}
