import { compliantIf, type ComplianceRule } from "../rule";
import { read } from "../config-reader";

/** The Key Vault firewall does not deny by default. */
export const KeyVaultFirewallDeny: ComplianceRule = {
  id: "CKV_AZURE_109",
  info: "The Key Vault firewall does not deny by default.",
  explanation:
    'A vault reachable from any network widens the attack surface of every key and secret. Set network_acls { default_action = "Deny" } and reach the vault through its private endpoint.',
  control: "CC6.6",
  resourceTypes: ["azurerm_key_vault"],
  check: (r) => {
    return compliantIf(read(r.config, "network_acls.default_action") === "Deny");
  },
};
