/**
 * Security rules of an NSG resource (inline `security_rule` blocks) or a standalone rule, and the
 * questions Checkov's NSG checks ask of them: inbound allows from the Internet to a port.
 */
import { blocks } from "./config-reader";
import type { SynthResource } from "./rule";

export const NSG_TYPES = ["azurerm_network_security_group", "azurerm_network_security_rule"] as const;

type SecurityRule = Record<string, unknown>;

export function securityRules(resource: SynthResource): SecurityRule[] {
  return resource.type === "azurerm_network_security_rule"
    ? [resource.config as SecurityRule]
    : blocks(resource.config, "security_rule");
}

const INTERNET = new Set(["*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::/0", "<nw>/0", "/0"]);

function fromInternet(rule: SecurityRule): boolean {
  const sources = [rule.source_address_prefix, ...((rule.source_address_prefixes as unknown[]) ?? [])];
  return sources.some((s) => typeof s === "string" && INTERNET.has(s.toLowerCase()));
}

function coversPort(rule: SecurityRule, port: number): boolean {
  const ranges = [rule.destination_port_range, ...((rule.destination_port_ranges as unknown[]) ?? [])];
  return ranges.some((r) => {
    if (typeof r !== "string" && typeof r !== "number") return false;
    const text = String(r).trim();
    if (text === "*") return true;
    const [lo, hi] = text.split("-").map((p) => Number(p));
    return hi === undefined ? lo === port : lo <= port && port <= hi;
  });
}

/** Inbound allow rules from the Internet matching `protocols` (and `port`, when given). */
export function internetInboundAllows(
  resource: SynthResource,
  protocols: readonly string[],
  port?: number,
): SecurityRule[] {
  const wanted = new Set(protocols.map((p) => p.toLowerCase()));
  return securityRules(resource).filter(
    (r) =>
      String(r.direction).toLowerCase() === "inbound" &&
      String(r.access).toLowerCase() === "allow" &&
      wanted.has(String(r.protocol).toLowerCase()) &&
      fromInternet(r) &&
      (port === undefined || coversPort(r, port)),
  );
}
