import { compliantIf, type ComplianceRule } from "../rule";

/**
 * azurerm resources that create or change objects through a data plane (Key Vault, Storage). Their
 * management-plane counterparts are azapi resources (stacks/arm-key-vault-secret.ts,
 * arm-key-vault-key.ts, the tables in evidence.ts); containers and immutability policies already go
 * through ARM in azurerm 4.x when given `storage_account_id`.
 */
const DATA_PLANE_RESOURCES = [
  "azurerm_key_vault_key",
  "azurerm_key_vault_secret",
  "azurerm_key_vault_certificate",
  "azurerm_storage_blob",
  "azurerm_storage_table",
  "azurerm_storage_table_entity",
  "azurerm_storage_queue",
  "azurerm_storage_share_file",
  "azurerm_storage_share_directory",
];

/** The stack writes through a data plane, which needs the private network and a deployer data role. */
export const NoDataPlaneWrites: ComplianceRule = {
  id: "GH_DEPLOY_1",
  info: "The stack creates or changes an object through a Key Vault or Storage data plane.",
  explanation:
    "Key Vault and the audit storage account are reachable only through private endpoints, and the deployer holds no data-plane role (GH_IAM_3): a data-plane write fails a deploy from a laptop or a hosted runner, and needs standing rights that can mint tokens or forge approvals. Create the object through ARM instead (azapi; docs/decisions/0004-first-deploy-without-data-plane.md).",
  control: "CC6.1, CC8.1",
  resourceTypes: DATA_PLANE_RESOURCES,
  check: () => compliantIf(false),
};
