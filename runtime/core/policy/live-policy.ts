/**
 * The policy bundle in force, reloaded without a restart (docs/decisions/0002): a source is polled
 * (a blob with If-None-Match on its last ETag, or a file by mtime, size and content hash); a new
 * bundle replaces the old one only when parseBundle, the engine and every registered check accept
 * it. A bad or unreadable new bundle leaves the old one in force (fail closed), is logged with its
 * problems, and counted. Callers keep the PolicyEngine interface: every method delegates to the
 * engine in force at the time of the call; `current()` pins one engine for a whole decision.
 */
import { createHash } from "node:crypto";
import type { PolicyBundle } from "../policy-model/schema";
import { GatehouseError } from "../errors";
import { logger } from "../telemetry/logger";
import { gatehouseMetrics } from "../telemetry/metrics";
import { parseBundle } from "./load-bundle";
import { PolicyEngine } from "./policy-engine";

/** What the gateway and agent use of a policy: PolicyEngine and LivePolicy both satisfy it. */
export type PolicyView = Pick<
  PolicyEngine,
  "bundle" | "server" | "reachable" | "decide" | "filterList" | "checkResult" | "jitRules" | "approvalRuleFor"
>;

/** One read of a policy source: `unchanged` when the source says nothing changed since `tag`. */
export type SourceRead = { unchanged: true } | { unchanged: false; text: string; tag: string };

export interface PolicySource {
  /** Where the bundle comes from, for logs and errors (never a secret: SAS tokens are stripped). */
  readonly description: string;
  /** Reads the bundle unless it is known to be unchanged since `tag` (null: read unconditionally). */
  read(tag: string | null): Promise<SourceRead>;
}

/**
 * Validates a candidate bundle for something derived from it (the masker); throws to refuse the
 * bundle, or returns the function that puts the derived thing in force with the bundle.
 */
export type BundleCheck = (bundle: PolicyBundle) => () => void;

export interface LivePolicyOptions {
  readonly source: PolicySource;
  /** Seconds between polls; 0 = read once at start. @default 30 */
  readonly pollSeconds?: number;
  /** For logs and metrics: "gateway" or "agent". */
  readonly service: string;
}

export class LivePolicy implements PolicyView {
  private engine: PolicyEngine;
  private tag: string;
  private readonly checks: BundleCheck[] = [];
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** New bundles refused (invalid) since start. */
  refusedCount = 0;
  /** Polls that could not read the source since start. */
  readFailureCount = 0;

  private constructor(
    private readonly opts: LivePolicyOptions,
    first: { bundle: PolicyBundle; tag: string },
  ) {
    this.engine = new PolicyEngine(first.bundle);
    this.tag = first.tag;
  }

  /** Reads and validates the first bundle (throws ERR_POLICY_INVALID: the process must not start), then polls. */
  static async open(opts: LivePolicyOptions): Promise<LivePolicy> {
    const read = await readOrThrow(opts.source);
    const live = new LivePolicy(opts, { bundle: parse(read.text, opts.source.description), tag: read.tag });
    const seconds = opts.pollSeconds ?? 30;
    if (seconds > 0) {
      live.timer = setInterval(() => void live.poll(), seconds * 1000);
      live.timer.unref();
    }
    return live;
  }

  /**
   * Registers a check run on every candidate bundle before it is put in force. Run at once on the
   * bundle in force, so a derived thing that cannot be built fails the start, not the first reload.
   */
  addCheck(check: BundleCheck): void {
    check(this.engine.bundle)();
    this.checks.push(check);
  }

  /** The engine in force now: pin it for one decision so its audit record names the same version. */
  current(): PolicyEngine {
    return this.engine;
  }

  get bundle(): PolicyBundle {
    return this.engine.bundle;
  }
  get version(): string {
    return this.engine.bundle.version;
  }

  server: PolicyEngine["server"] = (name) => this.engine.server(name);
  reachable: PolicyEngine["reachable"] = (identity, server) => this.engine.reachable(identity, server);
  decide: PolicyEngine["decide"] = (identity, server, request) => this.engine.decide(identity, server, request);
  filterList: PolicyEngine["filterList"] = (identity, server, kind, items) =>
    this.engine.filterList(identity, server, kind, items);
  checkResult: PolicyEngine["checkResult"] = (server, tool, text) => this.engine.checkResult(server, tool, text);
  jitRules: PolicyEngine["jitRules"] = (identity, server) => this.engine.jitRules(identity, server);
  approvalRuleFor: PolicyEngine["approvalRuleFor"] = (server, tool, args) =>
    this.engine.approvalRuleFor(server, tool, args);

  /** One poll (also what the timer runs); concurrent calls share the poll in progress. */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = null));
    return this.polling;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async pollOnce(): Promise<void> {
    const { source, service } = this.opts;
    let read: SourceRead;
    try {
      read = await source.read(this.tag);
    } catch (e) {
      this.readFailureCount++;
      gatehouseMetrics.policyReloadFailure({ service, reason: "unreadable" });
      logger.warn("the policy bundle could not be read; the bundle in force stays", {
        event: "policy.reload_unreadable",
        source: source.description,
        policyVersion: this.version,
        error: (e as Error).message,
      });
      return;
    }
    if (read.unchanged || read.tag === this.tag) return;
    let engine: PolicyEngine;
    let commits: (() => void)[];
    try {
      const bundle = parse(read.text, source.description);
      engine = bundle.version === this.version ? this.engine : new PolicyEngine(bundle);
      commits = this.checks.map((c) => c(bundle));
    } catch (e) {
      this.refusedCount++;
      this.tag = read.tag; // refused once, not at every poll; a fixed bundle has a new tag
      gatehouseMetrics.policyReloadFailure({ service, reason: "invalid" });
      const problems =
        e instanceof GatehouseError && Array.isArray(e.details?.problems) ? e.details.problems : [(e as Error).message];
      logger.error("a new policy bundle was refused; the bundle in force stays", {
        event: "policy.reload_refused",
        source: source.description,
        policyVersion: this.version,
        problems,
      });
      return;
    }
    this.tag = read.tag;
    if (engine === this.engine) return; // same content rewritten
    const previous = this.version;
    // Synchronous from here: no decision can see the new engine with the old masker, or the reverse.
    this.engine = engine;
    for (const commit of commits) commit();
    gatehouseMetrics.policyReloaded({ service });
    logger.info("a new policy bundle is in force", {
      event: "policy.reloaded",
      source: source.description,
      previousVersion: previous,
      policyVersion: engine.bundle.version,
      policyCommit: engine.bundle.commit,
    });
  }
}

async function readOrThrow(source: PolicySource): Promise<{ text: string; tag: string }> {
  let read: SourceRead;
  try {
    read = await source.read(null);
  } catch (e) {
    throw new GatehouseError(
      "ERR_POLICY_INVALID",
      `the policy bundle could not be read from ${source.description}: ${(e as Error).message}`,
      { source: source.description, problems: [(e as Error).message] },
      { cause: e },
    );
  }
  if (read.unchanged)
    throw new GatehouseError(
      "ERR_POLICY_INVALID",
      `the policy bundle source ${source.description} answered "unchanged" to an unconditional read`,
    );
  return read;
}

function parse(text: string, source: string): PolicyBundle {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new GatehouseError("ERR_POLICY_INVALID", `policy bundle ${source} is not JSON`, {
      source,
      problems: [`not JSON: ${(e as Error).message}`],
    });
  }
  return parseBundle(raw, source);
}

/** The engine to use for one whole decision: a LivePolicy's engine in force now, else the policy itself. */
export function pinPolicy(policy: PolicyView): PolicyView {
  return policy instanceof LivePolicy ? policy.current() : policy;
}

/** A tag for content read without one (files): its sha256. */
export function contentTag(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
