import { compliantIf, type ComplianceRule } from "../rule";
import { isFalse, read } from "../config-reader";

/** The Front Door WAF policy only detects (or is disabled). */
export const WafPreventionMode: ComplianceRule = {
  id: "GH_EDGE_2",
  info: "The Front Door WAF policy is not enabled in Prevention mode.",
  explanation:
    'In Detection mode the WAF logs attacks and lets them through to the gateway; disabled, it does nothing. Set mode = "Prevention" and enabled = true on azurerm_cdn_frontdoor_firewall_policy (tune false positives with rule exclusions, not by detecting only).',
  control: "CC6.6",
  resourceTypes: ["azurerm_cdn_frontdoor_firewall_policy"],
  check: (r) => compliantIf(read(r.config, "mode") === "Prevention" && !isFalse(read(r.config, "enabled"))),
};
