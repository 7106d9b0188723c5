/**
 * The Front Door WAF policy: Prevention mode (Detection only logs: GH_EDGE_2 fails synth on it),
 * Microsoft's managed Default Rule Set and Bot Manager rule set, and a rate limit per client
 * address. Front Door counts a rate-limit rule per socket address by default (the address that
 * opened the connection to its edge, not a client-supplied header):
 * https://learn.microsoft.com/azure/web-application-firewall/afds/waf-front-door-rate-limit.
 * azurerm v4.55.0 has no `group_by` on custom rules, so that default is what applies.
 */
import { Construct } from "constructs";
import { CdnFrontdoorFirewallPolicy } from "@cdktf/provider-azurerm/lib/cdn-frontdoor-firewall-policy";

/** Managed rule sets and versions (DRS 2.1 scores anomalies; Block acts at a score of 5). */
export const MANAGED_RULE_SETS = [
  { type: "Microsoft_DefaultRuleSet", version: "2.1", action: "Block" },
  { type: "Microsoft_BotManagerRuleSet", version: "1.1", action: "Block" },
] as const;

export interface WafPolicyProps {
  /** Letters and digits only (Azure's naming rule for WAF policies). */
  readonly name: string;
  readonly resourceGroupName: string;
  /** Requests per client address per minute; 10 or more (Front Door's minimum threshold). */
  readonly rateLimitPerMinute: number;
  readonly tags: Record<string, string>;
}

export class WafPolicy extends Construct {
  readonly policy: CdnFrontdoorFirewallPolicy;

  constructor(scope: Construct, id: string, props: WafPolicyProps) {
    super(scope, id);
    if (!/^[a-zA-Z][a-zA-Z0-9]{0,127}$/.test(props.name))
      throw new Error(
        `${this.node.path}: WAF policy name must be letters and digits starting with a letter, received "${props.name}"`,
      );
    if (!(Number.isInteger(props.rateLimitPerMinute) && props.rateLimitPerMinute >= 10)) {
      throw new Error(
        `${this.node.path}: rate limit must be an integer of at least 10 requests per minute, received ${props.rateLimitPerMinute}`,
      );
    }
    this.policy = new CdnFrontdoorFirewallPolicy(this, "policy", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      skuName: "Premium_AzureFrontDoor",
      enabled: true,
      mode: "Prevention",
      requestBodyCheckEnabled: true,
      customBlockResponseStatusCode: 403,
      managedRule: MANAGED_RULE_SETS.map((m) => ({ ...m })),
      customRule: [
        {
          name: "RateLimitPerClientAddress",
          enabled: true,
          priority: 100,
          type: "RateLimitRule",
          rateLimitDurationInMinutes: 1,
          rateLimitThreshold: props.rateLimitPerMinute,
          action: "Block",
          // Every request (any IPv4 or IPv6 socket address) counts towards its address's limit.
          matchCondition: [{ matchVariable: "SocketAddr", operator: "IPMatch", matchValues: ["0.0.0.0/0", "::/0"] }],
        },
      ],
      tags: props.tags,
    });
  }
}
