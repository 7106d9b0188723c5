/**
 * What a policy change does, grouped by risk, for the pull-request report: access widened or
 * narrowed (per principal and server, whatever the rules are called), masking weakened or
 * strengthened, approvals removed/relaxed or added/tightened, guardrails removed/relaxed or
 * added/tightened, server definitions changed. "Widening" is any change that lowers protection.
 */
import type { ApprovalRule, Guardrail, MaskingRule, PolicyBundle } from "../policy-model/schema";
import { canonicalJson } from "../policy-model/canonical-json";
import { entitlements, type Entitlement } from "./entitlements";

export const DIFF_CATEGORIES = [
  "access-widened",
  "access-narrowed",
  "masking-weakened",
  "masking-strengthened",
  "approvals-removed",
  "approvals-added",
  "guardrails-removed",
  "guardrails-added",
  "servers-changed",
] as const;
export type DiffCategory = (typeof DIFF_CATEGORIES)[number];

/** Categories that lower protection: `policy diff --fail-on-widen` fails on any of them. */
export const WIDENING: readonly DiffCategory[] = [
  "access-widened",
  "masking-weakened",
  "approvals-removed",
  "guardrails-removed",
];

export interface DiffChange {
  readonly category: DiffCategory;
  readonly text: string;
}

export interface BundleDiff {
  readonly changes: DiffChange[];
  readonly widened: boolean;
}

const list = (xs: string[]) => xs.map((x) => `\`${x}\``).join(", ");
const added = (from: string[], to: string[]) => to.filter((x) => !from.includes(x));

function accessChanges(base: PolicyBundle, head: PolicyBundle): DiffChange[] {
  const out: DiffChange[] = [];
  const b = entitlements(base);
  const h = entitlements(head);
  const who = (e: Entitlement) => `${e.principal} on \`${e.server}\` (${e.mode})`;
  for (const [key, e] of h) {
    if (!b.has(key))
      out.push({
        category: "access-widened",
        text: `${who(e)}: gains access; tools ${list(e.tools.allow) || "none"}${e.tools.deny.length ? ` except ${list(e.tools.deny)}` : ""}`,
      });
  }
  for (const [key, e] of b) if (!h.has(key)) out.push({ category: "access-narrowed", text: `${who(e)}: loses access` });
  for (const [key, then] of b) {
    const now = h.get(key);
    if (!now) continue;
    for (const kind of ["tools", "resources", "prompts"] as const) {
      const allowPlus = added(then[kind].allow, now[kind].allow);
      const allowMinus = added(now[kind].allow, then[kind].allow);
      const denyPlus = added(then[kind].deny, now[kind].deny);
      const denyMinus = added(now[kind].deny, then[kind].deny);
      if (allowPlus.length)
        out.push({ category: "access-widened", text: `${who(now)}: ${kind} allowed ${list(allowPlus)}` });
      if (denyMinus.length)
        out.push({ category: "access-widened", text: `${who(now)}: ${kind} no longer denied ${list(denyMinus)}` });
      if (allowMinus.length)
        out.push({ category: "access-narrowed", text: `${who(now)}: ${kind} no longer allowed ${list(allowMinus)}` });
      if (denyPlus.length)
        out.push({ category: "access-narrowed", text: `${who(now)}: ${kind} denied ${list(denyPlus)}` });
    }
    const cMinus = added(now.constraints, then.constraints);
    const cPlus = added(then.constraints, now.constraints);
    if (cMinus.length)
      out.push({
        category: "access-widened",
        text: `${who(now)}: argument constraints removed or changed: ${list(cMinus)}`,
      });
    if (cPlus.length)
      out.push({ category: "access-narrowed", text: `${who(now)}: argument constraints added: ${list(cPlus)}` });
    if ((now.jitMaxMinutes ?? 0) > (then.jitMaxMinutes ?? 0))
      out.push({
        category: "access-widened",
        text: `${who(now)}: JIT sessions up to ${now.jitMaxMinutes} min (was ${then.jitMaxMinutes})`,
      });
    if ((now.jitMaxMinutes ?? 0) < (then.jitMaxMinutes ?? 0))
      out.push({
        category: "access-narrowed",
        text: `${who(now)}: JIT sessions up to ${now.jitMaxMinutes} min (was ${then.jitMaxMinutes})`,
      });
    if (then.jitGrant === "approval" && now.jitGrant === "on-request")
      out.push({
        category: "access-widened",
        text: `${who(now)}: JIT sessions granted on request (was: needs approval)`,
      });
    if (then.jitGrant === "on-request" && now.jitGrant === "approval")
      out.push({ category: "access-narrowed", text: `${who(now)}: JIT sessions need approval (was: on request)` });
  }
  return out;
}

const STRENGTH = { redact: 3, hash: 2, last4: 1 } as const;
const maskItems = (r: MaskingRule) => [
  ...r.detectors,
  ...r.patterns.map((p) => `pattern ${p.name}: ${p.regex}`),
  ...r.fieldNames.map((f) => `field ${f}`),
  ...r.fieldPaths.map((f) => `path ${f}`),
];
const copies = (s: MaskingRule["scope"]) => (s === "both" ? ["client", "audit"] : [s]);

function maskingChanges(base: PolicyBundle, head: PolicyBundle): DiffChange[] {
  const out: DiffChange[] = [];
  const weak = (text: string) => out.push({ category: "masking-weakened", text });
  const strong = (text: string) => out.push({ category: "masking-strengthened", text });
  for (const r of base.masking)
    if (!head.masking.some((x) => x.id === r.id)) weak(`rule \`${r.id}\` removed (masked ${list(maskItems(r))})`);
  for (const r of head.masking)
    if (!base.masking.some((x) => x.id === r.id))
      strong(`rule \`${r.id}\` added (masks ${list(maskItems(r))}, ${r.style}, ${r.scope})`);
  for (const now of head.masking) {
    const then = base.masking.find((x) => x.id === now.id);
    if (!then) continue;
    const id = `rule \`${now.id}\``;
    const lost = added(maskItems(now), maskItems(then));
    const gained = added(maskItems(then), maskItems(now));
    if (lost.length) weak(`${id} no longer masks ${list(lost)}`);
    if (gained.length) strong(`${id} now masks ${list(gained)}`);
    if (STRENGTH[now.style] < STRENGTH[then.style]) weak(`${id} style ${then.style} -> ${now.style}`);
    if (STRENGTH[now.style] > STRENGTH[then.style]) strong(`${id} style ${then.style} -> ${now.style}`);
    const copiesLost = added(copies(now.scope), copies(then.scope));
    const copiesGained = added(copies(then.scope), copies(now.scope));
    if (copiesLost.length) weak(`${id} no longer masks the ${copiesLost.join(" and ")} copy`);
    if (copiesGained.length) strong(`${id} now masks the ${copiesGained.join(" and ")} copy`);
    for (const k of ["servers", "tools"] as const) {
      if (added(now[k], then[k]).length) weak(`${id} ${k} no longer covers ${list(added(now[k], then[k]))}`);
      if (added(then[k], now[k]).length) strong(`${id} ${k} now covers ${list(added(then[k], now[k]))}`);
    }
  }
  if (base.maskingSettings.onUnscannable === "withhold" && head.maskingSettings.onUnscannable === "pass")
    weak("unscannable results now pass unmasked (onUnscannable: pass)");
  if (base.maskingSettings.onUnscannable === "pass" && head.maskingSettings.onUnscannable === "withhold")
    strong("unscannable results are withheld again");
  return out;
}

/** Added/removed/changed rules of a kind; `relaxed` says whether a change lowers protection. */
function ruleChanges<T extends { id: string }>(
  base: T[],
  head: T[],
  noun: string,
  removed: DiffCategory,
  addedCat: DiffCategory,
  relaxed: (then: T, now: T) => boolean,
): DiffChange[] {
  const out: DiffChange[] = [];
  for (const r of base)
    if (!head.some((x) => x.id === r.id)) out.push({ category: removed, text: `${noun} \`${r.id}\` removed` });
  for (const r of head)
    if (!base.some((x) => x.id === r.id)) out.push({ category: addedCat, text: `${noun} \`${r.id}\` added` });
  for (const now of head) {
    const then = base.find((x) => x.id === now.id);
    if (!then || canonicalJson({ ...then, description: "" }) === canonicalJson({ ...now, description: "" })) continue;
    out.push(
      relaxed(then, now)
        ? { category: removed, text: `${noun} \`${now.id}\` changed (relaxed or altered: review)` }
        : { category: addedCat, text: `${noun} \`${now.id}\` tightened` },
    );
  }
  return out;
}

/** A change counts as tightening only when nothing but these fields moved, in the safe direction. */
function approvalRelaxed(a: ApprovalRule, b: ApprovalRule): boolean {
  const same =
    canonicalJson({ ...a, count: 0, expiresAfterSeconds: 0, description: "" }) ===
    canonicalJson({ ...b, count: 0, expiresAfterSeconds: 0, description: "" });
  return !(same && b.count >= a.count && b.expiresAfterSeconds <= a.expiresAfterSeconds);
}

function guardrailRelaxed(a: Guardrail, b: Guardrail): boolean {
  // Only a new message leaves a guardrail as strict as it was; anything else needs a reviewer.
  return (
    canonicalJson({ ...a, message: "", description: "" }) !== canonicalJson({ ...b, message: "", description: "" })
  );
}

function serverChanges(base: PolicyBundle, head: PolicyBundle): DiffChange[] {
  const out: DiffChange[] = [];
  for (const s of head.servers) {
    const then = base.servers.find((x) => x.name === s.name);
    if (!then) out.push({ category: "servers-changed", text: `server \`${s.name}\` added (${s.transport.type})` });
    else if (canonicalJson({ ...then, description: "" }) !== canonicalJson({ ...s, description: "" }))
      out.push({
        category: "servers-changed",
        text: `server \`${s.name}\` definition changed (transport, credentials, timeouts or agent)`,
      });
  }
  for (const s of base.servers)
    if (!head.servers.some((x) => x.name === s.name))
      out.push({ category: "servers-changed", text: `server \`${s.name}\` removed` });
  return out;
}

export function diffBundles(base: PolicyBundle, head: PolicyBundle): BundleDiff {
  const changes = [
    ...accessChanges(base, head),
    ...maskingChanges(base, head),
    ...ruleChanges(
      base.approvals,
      head.approvals,
      "approval rule",
      "approvals-removed",
      "approvals-added",
      approvalRelaxed,
    ),
    ...ruleChanges(
      base.guardrails,
      head.guardrails,
      "guardrail",
      "guardrails-removed",
      "guardrails-added",
      guardrailRelaxed,
    ),
    ...serverChanges(base, head),
  ];
  return { changes, widened: changes.some((c) => WIDENING.includes(c.category)) };
}
