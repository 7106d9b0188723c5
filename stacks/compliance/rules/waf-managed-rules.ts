import { compliantIf, type ComplianceRule } from "../rule";
import { blocks } from "../config-reader";

const REQUIRED = ["Microsoft_DefaultRuleSet", "Microsoft_BotManagerRuleSet"];

/** The Front Door WAF policy lacks Microsoft's default or bot rule set, or only logs them. */
export const WafManagedRules: ComplianceRule = {
  id: "GH_EDGE_3",
  info: "The Front Door WAF policy does not block with Microsoft's Default Rule Set and Bot Manager rule set.",
  explanation:
    'The managed rule sets are the WAF\'s protection against OWASP attack classes and known bad bots; without them (or with action Log) the WAF only rate-limits. Add managed_rule blocks Microsoft_DefaultRuleSet (2.x) and Microsoft_BotManagerRuleSet with action = "Block".',
  control: "CC6.6",
  resourceTypes: ["azurerm_cdn_frontdoor_firewall_policy"],
  check: (r) => {
    const managed = blocks(r.config, "managed_rule");
    return compliantIf(REQUIRED.every((type) => managed.some((m) => m.type === type && m.action === "Block")));
  },
};
