import { DETECTOR_IDS, type DetectorId, type MaskingRule, type PolicyBundle } from "../policy-model/schema";
import { matchesAny } from "../policy-model/glob";
import { CustomPattern } from "./custom-pattern";
import { BUILT_IN_DETECTORS } from "./detectors";
import { normalizeFieldName } from "./detectors/secret-names";
import { stricter, type MaskStyle } from "./replacement";
import { Scanner } from "./scanner";

/** Entity type of values masked by a rule's fieldNames or fieldPaths. */
export const FIELD_TYPE = "field";

export interface MaskPlan {
  scanner: Scanner;
  patterns: CustomPattern[];
  /** Style per entity type (detector id, pattern name or FIELD_TYPE). */
  styles: Map<string, MaskStyle>;
  /** Normalized field name -> style, from rules' fieldNames. */
  fieldNames: Map<string, MaskStyle>;
  fieldPaths: { segments: string[]; style: MaskStyle }[];
  /** Built-in secret field names are masked (the secret_field detector is on). */
  secretFields: boolean;
  /** Nothing to mask at all: the walker can return the value as it is. */
  empty: boolean;
  /** Per field name: what the walker decided about it (names repeat across items; see json-walker). */
  keyCache: Map<string, unknown>;
}

export interface PlanContext {
  /** The server name; "*" (never a valid server name) means every rule whatever its servers (the CLI without --server). */
  server: string;
  tool?: string | null;
  copy: "client" | "audit";
}

const scanners = new Map<string, Scanner>();

/** One scanner per detector set, shared by every plan that uses it (the catalogue's priority order). */
function scannerFor(ids: ReadonlySet<string>): Scanner {
  const chosen = BUILT_IN_DETECTORS.filter((d) => ids.has(d.id));
  const key = chosen.map((d) => d.id).join(",");
  let s = scanners.get(key);
  if (!s) {
    s = new Scanner(chosen);
    scanners.set(key, s);
  }
  return s;
}

/**
 * The rules that apply to one context, folded into a plan. Client copy: rules of this server
 * and tool whose scope is client or both. Audit copy: every rule of this server and tool
 * whatever its scope, plus every built-in detector no rule names (redact) as a floor, so the
 * audit copy is always at least as strict as the client copy. A message that is not a tool
 * call (tool null) gets the rules of its server for every tool: over-masking is the safe side.
 */
export function buildPlan(
  bundle: PolicyBundle | null,
  ctx: PlanContext,
  compiled: Map<MaskingRule, CustomPattern[]>,
): MaskPlan {
  const styles = new Map<string, MaskStyle>();
  const fieldNames = new Map<string, MaskStyle>();
  const fieldPaths: { segments: string[]; style: MaskStyle }[] = [];
  const patterns: CustomPattern[] = [];
  const detectors = new Set<DetectorId>();
  if (bundle === null) {
    for (const id of DETECTOR_IDS) {
      detectors.add(id);
      styles.set(id, "redact");
    }
  } else {
    for (const rule of bundle.masking) {
      if (ctx.server !== "*" && !matchesAny(rule.servers, ctx.server)) continue;
      if (ctx.tool != null && !matchesAny(rule.tools, ctx.tool)) continue;
      if (ctx.copy === "client" && rule.scope === "audit") continue;
      for (const id of rule.detectors) {
        detectors.add(id);
        styles.set(id, stricter(styles.get(id), rule.style));
      }
      for (const p of compiled.get(rule) ?? []) {
        patterns.push(p);
        styles.set(p.name, stricter(styles.get(p.name), rule.style));
      }
      for (const f of rule.fieldNames) {
        const key = normalizeFieldName(f);
        fieldNames.set(key, stricter(fieldNames.get(key), rule.style));
        styles.set(FIELD_TYPE, stricter(styles.get(FIELD_TYPE), rule.style));
      }
      for (const p of rule.fieldPaths) {
        fieldPaths.push({ segments: p.split("."), style: rule.style });
        styles.set(FIELD_TYPE, stricter(styles.get(FIELD_TYPE), rule.style));
      }
    }
    if (ctx.copy === "audit") {
      for (const id of DETECTOR_IDS) {
        if (!detectors.has(id)) {
          detectors.add(id);
          styles.set(id, "redact");
        }
      }
    }
  }
  return {
    scanner: scannerFor(detectors),
    patterns,
    styles,
    fieldNames,
    fieldPaths,
    secretFields: detectors.has("secret_field"),
    keyCache: new Map(),
    empty: detectors.size === 0 && patterns.length === 0 && fieldNames.size === 0 && fieldPaths.length === 0,
  };
}
