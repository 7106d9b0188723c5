import { compliantIf, type ComplianceRule } from "../rule";
import { read } from "../config-reader";

const ref = (value: unknown, type: string): string | null => {
  const m = new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.id\\}$`).exec(String(value ?? ""));
  return m ? m[1] : null;
};

/** The gateway does not trust X-Forwarded-For from exactly its environment's infrastructure subnet. */
export const GatewayTrustsIngressSubnetOnly: ComplianceRule = {
  id: "GH_CA_5",
  info: "The gateway's GATEHOUSE_TRUSTED_PROXIES is not its environment's infrastructure subnet.",
  explanation:
    "Container Apps ingress (Envoy) runs inside the environment and reaches the gateway from the infrastructure subnet, passing the client's address in X-Forwarded-For. Unset, every client shares the ingress address (one rate limit for all, no clientIp in audit records); wider, a client could choose its own clientIp. Set GATEHOUSE_TRUSTED_PROXIES to ${join(\",\", <the environment's subnet>.address_prefixes)} (stacks/compute.ts).",
  control: "CC6.6, CC7.2",
  resourceTypes: ["azurerm_container_app"],
  check: (r, ctx) => {
    if (read(r.config, "tags.gatehouse-role") !== "gateway") return "not-applicable";
    const envId = ref(r.config.container_app_environment_id, "azurerm_container_app_environment");
    const environment = ctx.resources.find(
      (x) => x.type === "azurerm_container_app_environment" && x.logicalId === envId,
    );
    const subnet = environment ? ref(environment.config.infrastructure_subnet_id, "azurerm_subnet") : null;
    const env = (read(r.config, "template.container.env") ?? []) as { name?: string; value?: unknown }[];
    const trusted = (Array.isArray(env) ? env : [env]).find((e) => e.name === "GATEHOUSE_TRUSTED_PROXIES")?.value;
    return compliantIf(subnet !== null && trusted === `\${join(",", azurerm_subnet.${subnet}.address_prefixes)}`);
  },
};
