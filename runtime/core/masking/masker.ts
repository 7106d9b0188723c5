import {
  MaskingSettingsSchema,
  type MaskingRule,
  type MaskingSettings,
  type PolicyBundle,
} from "../policy-model/schema";
import { GatehouseError } from "../errors";
import { CustomPattern } from "./custom-pattern";
import { copyPair, type CopyPair, type CopyStats } from "./dual-scan";
import { walkJsonCopies } from "./dual-walker";
import { walkJson, Unscannable } from "./json-walker";
import { buildPlan, type MaskPlan } from "./mask-plan";
import { type MaskEnv } from "./mask-string";
import { ScanState } from "./scan-state";

export interface MaskContext {
  server: string;
  tool?: string | null;
  copy: "client" | "audit";
}
/** counts: by entity type, never values. */
export interface MaskOutcome<T> {
  value: T;
  counts: Record<string, number>;
}
export interface Masker {
  /** Any JSON-RPC message (result, notification, request). Throws GatehouseError ERR_RESULT_WITHHELD when it cannot be scanned and the policy says withhold. */
  maskMessage(message: unknown, ctx: MaskContext): MaskOutcome<unknown>;
  /** Arguments of a call (audit copy). */
  maskValue(value: unknown, ctx: MaskContext): MaskOutcome<unknown>;
  maskText(text: string, ctx: MaskContext): MaskOutcome<string>;
  /**
   * Both copies of a message in one walk: `client` deep-equals maskMessage(m, {...ctx, copy:
   * "client"}) and `audit` maskMessage(m, {...ctx, copy: "audit"}), counts included; throws what
   * the first of those two calls that throws would throw. Optional: mask-copies.ts falls back to
   * two maskMessage calls for a Masker without it.
   */
  maskMessageCopies?(message: unknown, ctx: CopiesContext): MessageCopies;
}

export type CopiesContext = Omit<MaskContext, "copy">;
export interface MessageCopies {
  client: MaskOutcome<unknown>;
  audit: MaskOutcome<unknown>;
}

/** Nesting deeper than this is refused as unscannable (fail closed) rather than walked. */
export const MAX_DEPTH = 512;

export interface MaskerOptions {
  bundle: PolicyBundle | null;
  /** HMAC key of the `hash` style (from Key Vault in production); required when a rule uses it. */
  hashKey?: Buffer;
}

/** The masker also exposes its settings and step counter (used by the tests and the benchmarks). */
export interface GatehouseMasker extends Masker {
  readonly settings: MaskingSettings;
  /** Characters and nodes examined since creation: a work counter, not a clock. */
  readonly steps: number;
  /** What maskMessageCopies shared and redid since creation (counts of strings and messages). */
  readonly copyStats: Readonly<CopyStats>;
  maskMessageCopies(message: unknown, ctx: CopiesContext): MessageCopies;
}

/**
 * The masking engine. bundle null = every built-in detector, redact, both copies (the CLI's
 * default). Plans (which detectors, patterns, fields and styles apply) are computed once per
 * server, tool and copy, and cached.
 */
export function createMasker(opts: MaskerOptions): GatehouseMasker {
  const { bundle, hashKey } = opts;
  const settings: MaskingSettings = bundle?.maskingSettings ?? MaskingSettingsSchema.parse({});
  const compiled = new Map<MaskingRule, CustomPattern[]>();
  for (const rule of bundle?.masking ?? []) {
    if (rule.style === "hash" && !hashKey) {
      throw new GatehouseError(
        "ERR_CONFIG_INVALID",
        `masking rule ${rule.id} uses the hash style but no hash key was given`,
        { ruleId: rule.id },
      );
    }
    compiled.set(
      rule,
      rule.patterns.map((p) => new CustomPattern(p.name, p.regex)),
    );
  }
  const plans = new Map<string, MaskPlan>();
  const st = new ScanState();
  let steps = 0;

  function env(ctx: MaskContext): MaskEnv {
    const key = `${ctx.server}\u0000${ctx.tool ?? ""}\u0000${ctx.tool == null ? 0 : 1}\u0000${ctx.copy}`;
    let plan = plans.get(key);
    if (!plan) {
      plan = buildPlan(bundle, ctx, compiled);
      plans.set(key, plan);
    }
    st.steps = 0;
    return { plan, st, hashKey, counts: {}, replaced: 0 };
  }

  function guarded<T>(original: T, run: (e: MaskEnv) => T, ctx: MaskContext): MaskOutcome<T> {
    const e = env(ctx);
    try {
      // Walked even when the plan masks nothing, so that the size and depth limits still apply.
      return { value: run(e), counts: e.counts };
    } catch (err) {
      if (!(err instanceof Unscannable)) throw err;
      if (settings.onUnscannable === "pass") return { value: original, counts: { unscannable: 1 } };
      throw new GatehouseError(
        "ERR_RESULT_WITHHELD",
        `the result was withheld: it could not be scanned for sensitive data (${err.reason.replace("_", " ")})`,
        {
          reason: err.reason,
          server: ctx.server,
          tool: ctx.tool ?? null,
        },
      );
    } finally {
      steps += e.st.steps;
    }
  }

  const walk = (value: unknown, ctx: MaskContext, message: boolean) =>
    guarded(value, (e) => walkJson(value, e, { maxDepth: MAX_DEPTH, maxBytes: settings.maxScanBytes, message }), ctx);

  const copyStats: CopyStats = { shared: 0, rescanned: 0, rewalked: 0 };
  const pairs = new Map<MaskPlan, CopyPair | null>();

  function maskMessageCopies(message: unknown, ctx: CopiesContext): MessageCopies {
    const client = { ...ctx, copy: "client" as const };
    const audit = { ...ctx, copy: "audit" as const };
    const ec = env(client);
    const ea = env(audit);
    let pair = pairs.get(ec.plan);
    if (pair === undefined) {
      pair = copyPair(ec.plan, ea.plan);
      pairs.set(ec.plan, pair);
    }
    if (pair !== null) {
      const opts = { maxDepth: MAX_DEPTH, maxBytes: settings.maxScanBytes, message: true };
      try {
        const [cv, av] = walkJsonCopies(message, ec, ea, pair, copyStats, opts);
        return { client: { value: cv, counts: ec.counts }, audit: { value: av, counts: ea.counts } };
      } catch (err) {
        if (!(err instanceof Unscannable)) throw err;
        // Rare (a result withheld or passed): each copy's own walk decides its error or its pass.
        copyStats.rewalked++;
      } finally {
        steps += st.steps;
      }
    }
    return { client: walk(message, client, true), audit: walk(message, audit, true) };
  }

  return {
    settings,
    get steps() {
      return steps;
    },
    copyStats,
    maskMessageCopies,
    maskMessage: (message, ctx) => walk(message, ctx, true),
    maskValue: (value, ctx) => walk(value, ctx, false),
    maskText: (text, ctx) =>
      guarded(
        text,
        (e) => {
          if (Buffer.byteLength(text, "utf8") > settings.maxScanBytes) throw new Unscannable("too_large");
          return walkJson(text, e, {
            maxDepth: MAX_DEPTH,
            maxBytes: Number.MAX_SAFE_INTEGER,
            message: false,
          }) as string;
        },
        ctx,
      ),
  };
}
