import { compliantIf, type ComplianceRule } from "../rule";
import { isTrue, read } from "../config-reader";

/** The agent Container App has external ingress. */
export const AgentNeverExternal: ComplianceRule = {
  id: "GH_CA_2",
  info: "The agent Container App has external ingress.",
  explanation:
    "The agent holds upstream credentials and trusts only gateway-signed tokens; it must be reachable only from inside the environment. Set ingress { external_enabled = false }.",
  control: "CC6.6",
  resourceTypes: ["azurerm_container_app"],
  check: (r) => {
    if (read(r.config, "tags.gatehouse-role") !== "agent") return "not-applicable";
    return compliantIf(!isTrue(read(r.config, "ingress.external_enabled")));
  },
};
