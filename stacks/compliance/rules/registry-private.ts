import { compliantIf, type ComplianceRule, type RuleContext, type SynthResource } from "../rule";
import { blocks, isFalse, isTrue, read, referencing, resourcesOfType } from "../config-reader";

/** Logical id of the `type` resource that `value` refers to, if it refers to one. */
function referenced(value: unknown, type: string): string | undefined {
  return new RegExp(`\\$\\{${type}\\.([^.}]+)\\.`).exec(JSON.stringify(value ?? null))?.[1];
}

function vnetOfSubnet(ctx: RuleContext, subnetRef: unknown): string | undefined {
  const subnet = referenced(subnetRef, "azurerm_subnet");
  const s = resourcesOfType(ctx, "azurerm_subnet").find((r) => r.logicalId === subnet);
  return s ? referenced(s.config.virtual_network_name, "azurerm_virtual_network") : undefined;
}

/** VNets holding a private endpoint to `registry` that resolves through a zone linked to that VNet. */
function vnetsReaching(ctx: RuleContext, registry: SynthResource): Set<string> {
  const links = resourcesOfType(ctx, "azurerm_private_dns_zone_virtual_network_link");
  const out = new Set<string>();
  const endpoints = referencing(
    ctx,
    "azurerm_private_endpoint",
    "private_service_connection.private_connection_resource_id",
    registry,
  );
  for (const pe of endpoints) {
    const vnet = vnetOfSubnet(ctx, pe.config.subnet_id);
    const zones = blocks(pe.config, "private_dns_zone_group").flatMap((g) =>
      ((g.private_dns_zone_ids as unknown[] | undefined) ?? []).map((z) => referenced(z, "azurerm_private_dns_zone")),
    );
    const linked = zones.some((zone) =>
      links.some(
        (l) =>
          referenced(l.config.private_dns_zone_name, "azurerm_private_dns_zone") === zone &&
          referenced(l.config.virtual_network_id, "azurerm_virtual_network") === vnet,
      ),
    );
    if (vnet && linked) out.add(vnet);
  }
  return out;
}

/** The container registry is reachable from the Internet, accepts an admin password, or some region cannot reach it privately. */
export const RegistryPrivate: ComplianceRule = {
  id: "GH_ACR_1",
  info: "The container registry allows public network access or the admin user, or has no private endpoint (with its privatelink.azurecr.io zone linked) in every VNet whose Container Apps environment pulls from it.",
  explanation:
    "Whoever can push the image runs code with the gateway's and agent's identities. Set public_network_access_enabled = false, admin_enabled = false, and reach the registry through a private endpoint (Premium); apps pull with their identity (AcrPull). With several regions (GATEHOUSE_REGIONS) each region's VNet needs its own endpoint and linked zone: the VNets are not peered, so a region without one cannot pull.",
  control: "CC6.6, CC8.1",
  resourceTypes: ["azurerm_container_registry"],
  check: (r, ctx) => {
    const endpoints = referencing(
      ctx,
      "azurerm_private_endpoint",
      "private_service_connection.private_connection_resource_id",
      r,
    );
    const reaching = vnetsReaching(ctx, r);
    const pulling = resourcesOfType(ctx, "azurerm_container_app_environment").map((e) =>
      vnetOfSubnet(ctx, read(e.config, "infrastructure_subnet_id")),
    );
    return compliantIf(
      isFalse(r.config.public_network_access_enabled) &&
        !isTrue(r.config.admin_enabled) &&
        endpoints.length > 0 &&
        pulling.every((vnet) => vnet !== undefined && reaching.has(vnet)),
    );
  },
};
