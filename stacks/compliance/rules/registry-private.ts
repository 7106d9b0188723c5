import { compliantIf, type ComplianceRule } from "../rule";
import { isFalse, isTrue, referencing } from "../config-reader";

/** The container registry is reachable from the Internet, or accepts an admin password. */
export const RegistryPrivate: ComplianceRule = {
  id: "GH_ACR_1",
  info: "The container registry allows public network access or the admin user, or has no private endpoint.",
  explanation:
    "Whoever can push the image runs code with the gateway's and agent's identities. Set public_network_access_enabled = false, admin_enabled = false, and reach the registry through a private endpoint (Premium); apps pull with their identity (AcrPull).",
  control: "CC6.6, CC8.1",
  resourceTypes: ["azurerm_container_registry"],
  check: (r, ctx) =>
    compliantIf(
      isFalse(r.config.public_network_access_enabled) &&
        !isTrue(r.config.admin_enabled) &&
        referencing(ctx, "azurerm_private_endpoint", "private_service_connection.private_connection_resource_id", r)
          .length > 0,
    ),
};
