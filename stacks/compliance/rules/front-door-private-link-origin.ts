import { compliantIf, type ComplianceRule } from "../rule";
import { read } from "../config-reader";

/** A Front Door origin is reached over the Internet rather than Private Link. */
export const FrontDoorPrivateLinkOrigin: ComplianceRule = {
  id: "GH_EDGE_4",
  info: "The Front Door origin is not reached over Private Link.",
  explanation:
    'An origin reached over the Internet must accept Internet traffic, so anyone can bypass Front Door and its WAF. Give azurerm_cdn_frontdoor_origin a private_link block targeting the Container Apps environment (target_type = "managedEnvironments") and approve the connection once (docs/deploy.md).',
  control: "CC6.6",
  resourceTypes: ["azurerm_cdn_frontdoor_origin"],
  check: (r) => compliantIf(typeof read(r.config, "private_link.private_link_target_id") === "string"),
};
