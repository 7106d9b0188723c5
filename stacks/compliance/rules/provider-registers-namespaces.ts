import { compliantIf, type ComplianceRule } from "../rule";
import { resourceProviderNamespace } from "../resource-provider-namespaces";

/** The azurerm provider does not register every resource provider the stack uses. */
export const ProviderRegistersNamespaces: ComplianceRule = {
  id: "GH_PROV_2",
  info: "The azurerm provider does not register every resource provider namespace the stack uses.",
  explanation:
    'A fresh subscription has few namespaces registered, and azurerm 4.x\'s default set lacks Microsoft.App: the first apply fails with MissingSubscriptionRegistration. List every namespace in resource_providers_to_register (with resource_provider_registrations = "none", nothing else is registered).',
  control: "CC8.1",
  resourceTypes: ["provider.azurerm"],
  check: (r, ctx) => {
    const listed = new Set((r.config.resource_providers_to_register as unknown[] | undefined) ?? []);
    const needed = [
      ...ctx.resources.filter((x) => x.type.startsWith("azurerm_")).map((x) => resourceProviderNamespace(x.type)),
      // azapi resources name their ARM type: the namespace is its first segment.
      ...ctx.resources.filter((x) => x.type === "azapi_resource").map((x) => String(x.config.type).split("/")[0]),
    ];
    return compliantIf(r.config.resource_provider_registrations === "none" && needed.every((n) => listed.has(n)));
  },
};
