import { compliantIf, type ComplianceRule } from "../rule";
import { isTrue, read } from "../config-reader";

/** The Container Apps environment is reachable from the Internet. */
export const EnvironmentNotPublic: ComplianceRule = {
  id: "GH_EDGE_1",
  info: "The Container Apps environment is reachable from the Internet (no internal load balancer, or public network access not disabled).",
  explanation:
    "In production the gateway is reached only through Front Door's WAF, over Private Link: a public environment lets anyone go around the WAF, its managed rules and rate limit. Set internal_load_balancer_enabled = true and public_network_access = \"Disabled\" (GATEHOUSE_EDGE=frontdoor); a dev deployment without the edge sets GATEHOUSE_EDGE=none with GATEHOUSE_EDGE_NONE_REASON, recorded as this rule's suppression.",
  control: "CC6.6",
  resourceTypes: ["azurerm_container_app_environment"],
  check: (r) =>
    compliantIf(
      isTrue(read(r.config, "internal_load_balancer_enabled")) &&
        read(r.config, "public_network_access") === "Disabled",
    ),
};
