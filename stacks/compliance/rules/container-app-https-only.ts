import { compliantIf, type ComplianceRule } from "../rule";
import { isTrue, read } from "../config-reader";

/** The Container App ingress allows insecure (HTTP) connections. */
export const ContainerAppHttpsOnly: ComplianceRule = {
  id: "GH_CA_1",
  info: "The Container App ingress allows insecure (HTTP) connections.",
  explanation:
    "MCP traffic carries bearer tokens and results; it must never travel in clear text. Set ingress { allow_insecure_connections = false }.",
  control: "CC6.7",
  resourceTypes: ["azurerm_container_app"],
  check: (r) => {
    if (read(r.config, "ingress") === undefined) return "not-applicable";
    return compliantIf(!isTrue(read(r.config, "ingress.allow_insecure_connections")));
  },
};
