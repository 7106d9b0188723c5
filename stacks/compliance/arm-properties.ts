/**
 * The `body.properties` of a resource created through ARM (azapi_resource) of a given resource
 * type (any API version), so a rule applies whichever plane creates the object; undefined when
 * the resource is of another type.
 */
import { read } from "./config-reader";
import type { SynthResource } from "./rule";

export function armProperties(r: SynthResource, armType: string): Record<string, unknown> | undefined {
  if (String(r.config.type ?? "").split("@")[0] !== armType) return undefined;
  const properties = read(r.config, "body.properties");
  return properties && typeof properties === "object" ? (properties as Record<string, unknown>) : {};
}
