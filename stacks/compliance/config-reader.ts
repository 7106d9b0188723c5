/**
 * Reading synthesized Terraform JSON the way rules need: nested blocks appear as an object or a
 * one-element list, references as "${type.logical_id.attribute}" strings.
 */
import type { RuleContext, SynthResource } from "./rule";

/** The value at a dot path; a block given as a list is read through its first element. */
export function read(config: unknown, path: string): unknown {
  let value: unknown = config;
  for (const key of path.split(".")) {
    if (Array.isArray(value)) value = value[0];
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A block that may be repeated (inline NSG rules, delegations), always as a list. */
export function blocks(config: unknown, path: string): Record<string, unknown>[] {
  const parent = path.includes(".") ? read(config, path.slice(0, path.lastIndexOf("."))) : config;
  const key = path.slice(path.lastIndexOf(".") + 1);
  const value =
    parent && typeof parent === "object" && !Array.isArray(parent)
      ? (parent as Record<string, unknown>)[key]
      : undefined;
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
}

export const isTrue = (v: unknown): boolean => v === true || v === "true";
export const isFalse = (v: unknown): boolean => v === false || v === "false";

/** Whether a value (any depth) holds a reference to an attribute of `target`. */
export function refersTo(value: unknown, target: SynthResource): boolean {
  return JSON.stringify(value ?? null).includes(`\${${target.type}.${target.logicalId}.`);
}

export function resourcesOfType(ctx: RuleContext, type: string): SynthResource[] {
  return ctx.resources.filter((r) => r.type === type);
}

/** Resources of `type` whose `attribute` refers to `target`. */
export function referencing(ctx: RuleContext, type: string, attribute: string, target: SynthResource): SynthResource[] {
  return resourcesOfType(ctx, type).filter((r) => refersTo(read(r.config, attribute), target));
}
