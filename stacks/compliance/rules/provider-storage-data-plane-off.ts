import { compliantIf, type ComplianceRule } from "../rule";
import { isFalse, read } from "../config-reader";

/** The azurerm provider probes storage data planes after creating an account. */
export const ProviderStorageDataPlaneOff: ComplianceRule = {
  id: "GH_PROV_1",
  info: "The azurerm provider probes storage data planes after creating a storage account.",
  explanation:
    "With public network access off, azurerm_storage_account's post-create checks of the blob, queue and static-website data planes get 403 from outside the VNet and the first apply fails. Set features { storage { data_plane_available = false } } (azurerm v4.55.0, storage_account_resource.go).",
  control: "CC8.1",
  resourceTypes: ["provider.azurerm"],
  check: (r) => compliantIf(isFalse(read(r.config, "features.storage.data_plane_available"))),
};
