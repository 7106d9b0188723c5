/**
 * Audit records of requests refused before authentication (401, and 429 from the per-address
 * limit), sampled so that a flood cannot bloat the trail: per client address, refusal code and
 * window, the first refusal is recorded at once (count 1) and the rest are summed into ONE
 * aggregate record written when the window closes (`details.count` = how many refusals it stands
 * for, `details.byRoute` where they went). So the sum of `details.count` over `http.refused`
 * records is the number of refusals, and every refusal is also counted in the metric
 * `gatehouse.auth.failures`. At most MAX_BUCKETS (address, code) pairs are tracked per window;
 * beyond, refusals are summed into one bucket per code without an address (a distributed flood
 * still leaves a bounded number of records).
 */
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { AuditSink } from "../core/audit/audit-sink";
import type { GatehouseError } from "../core/errors";
import { gatehouseMetrics } from "../core/telemetry/metrics";
import { logger } from "../core/telemetry/logger";
import { clientUserAgent } from "../http/client-user-agent";

const MAX_BUCKETS = 1000;
const OVERFLOW = "*";

export interface RefusalAuditOptions {
  readonly audit: AuditSink;
  readonly policyVersion: () => string | null;
  /** Is this a server of the bundle? Only known names are recorded (never attacker text). */
  readonly knownServer: (name: string) => boolean;
  /** @default 60000 */
  readonly windowMs?: number;
}

interface Refusal {
  readonly ip: string | null;
  readonly code: string;
  readonly route: string;
  readonly server: string | null;
  readonly userAgent: string | null;
}

interface Bucket {
  readonly first: Refusal;
  readonly windowStart: string;
  extra: number;
  readonly byRoute: Record<string, number>;
}

/** The route family, never the raw path (it is attacker text): `/mcp`, `/api/approvals`, ... */
function routeOf(req: Request): string {
  const seg = req.path.split("/").filter(Boolean);
  const family = seg[0] === "api" && seg[1] ? `/api/${seg[1]}` : seg[0] ? `/${seg[0]}` : "/";
  return `${req.method} ${/^[A-Za-z0-9/._-]{1,40}$/.test(family) ? family : "/(other)"}`;
}

export class RefusalAudit {
  private buckets = new Map<string, Bucket>();
  private timer: NodeJS.Timeout | null = null;
  private readonly windowMs: number;

  constructor(private readonly opts: RefusalAuditOptions) {
    this.windowMs = opts.windowMs ?? 60_000;
  }

  /** The middleware: watches each response and records the unauthenticated refusals. */
  readonly middleware: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    res.once("finish", () => {
      if (req.auth) return;
      const refusal = res.locals.refusal as GatehouseError | undefined;
      if (res.statusCode !== 401 && !res.locals.preAuthLimited) return;
      const server = /^\/mcp\/([^/]+)/.exec(req.path)?.[1] ?? null;
      this.record({
        ip: req.ip ?? null,
        code: refusal?.code ?? (res.statusCode === 401 ? "ERR_AUTH_INVALID" : "ERR_RATE_LIMITED"),
        route: routeOf(req),
        server: server !== null && this.opts.knownServer(server) ? server : null,
        userAgent: clientUserAgent(req),
      });
    });
    next();
  };

  record(r: Refusal): void {
    gatehouseMetrics.authFailure({ code: r.code });
    const own = `${r.ip ?? OVERFLOW}|${r.code}`;
    const key = this.buckets.has(own) || this.buckets.size < MAX_BUCKETS ? own : `${OVERFLOW}|${r.code}`;
    const bucket = this.buckets.get(key);
    if (bucket) {
      bucket.extra++;
      bucket.byRoute[r.route] = (bucket.byRoute[r.route] ?? 0) + 1;
      return;
    }
    const first = key === own ? r : { ...r, ip: null, userAgent: null };
    this.buckets.set(key, { first, windowStart: new Date().toISOString(), extra: 0, byRoute: {} });
    this.write(first, { count: 1, aggregated: false }, "authentication failed");
    this.timer ??= setTimeout(() => this.flush(), this.windowMs).unref();
  }

  /** Writes the aggregate record of every bucket with refusals beyond its first; starts a new window. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const closing = this.buckets;
    this.buckets = new Map();
    const windowEnd = new Date().toISOString();
    for (const b of closing.values()) {
      if (b.extra === 0) continue;
      this.write(
        b.first,
        { count: b.extra, aggregated: true, windowStart: b.windowStart, windowEnd, byRoute: b.byRoute },
        `${b.extra} more refused requests before authentication from this address in this window (aggregated)`,
      );
    }
  }

  private write(r: Refusal, details: Record<string, unknown>, reason: string): void {
    this.opts.audit
      .write({
        kind: "http.refused",
        policyVersion: this.opts.policyVersion(),
        actor: { oid: null, tenantId: null, username: null, via: "none", clientIp: r.ip, userAgent: r.userAgent },
        target: { server: r.server },
        action: { method: r.route },
        decision: { outcome: "denied", code: r.code, reason },
        details,
      })
      .catch((e: unknown) =>
        // The request was refused anyway; the lost record is logged (the sink counts write failures).
        logger.error("refusal record not written", {
          event: "gateway.refusal_audit_failed",
          code: r.code,
          error: (e as GatehouseError).code ?? "unknown",
        }),
      );
  }
}
