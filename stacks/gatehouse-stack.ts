/**
 * The composing stack: one Terraform stack holding every concern of a Gatehouse deployment, wired
 * together, with the compliance pack applied as an Aspect so a non-compliant change fails synth.
 */
import { Construct } from "constructs";
import { AzurermBackend, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import type { PolicyBundle } from "../policies/schema";
import type { GatehouseConfig } from "./config";
import { names } from "./naming";
import { Network } from "./network";

export interface GatehouseStackProps {
  readonly config: GatehouseConfig;
  /** The compiled, sealed policy bundle the gateway and agent load. */
  readonly policyBundle: PolicyBundle;
}

export class GatehouseStack extends TerraformStack {
  readonly network: Network;

  constructor(scope: Construct, id: string, props: GatehouseStackProps) {
    super(scope, id);
    const { config } = props;
    const n = names(config);
    const tags = { application: "gatehouse", environment: config.environment, "managed-by": "cdktf" };

    if (config.state.backend === "azurerm") {
      new AzurermBackend(this, {
        resourceGroupName: config.state.resourceGroupName,
        storageAccountName: config.state.storageAccountName,
        containerName: config.state.containerName,
        key: config.state.key,
        useAzureadAuth: true,
        useOidc: true,
      });
    } else {
      new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    }

    new AzurermProvider(this, "azurerm", {
      subscriptionId: config.subscriptionId,
      tenantId: config.tenantId,
      // Shared keys are disabled on the storage account: data-plane calls use Entra ID.
      storageUseAzuread: true,
      features: [
        {
          keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
        },
      ],
    });

    const rg = new ResourceGroup(this, "resource-group", { name: n.resourceGroup, location: config.location, tags });

    this.network = new Network(this, "network", {
      resourceGroupName: rg.name,
      location: config.location,
      prefix: n.prefix,
      vnetName: n.vnet,
      vnetCidr: config.network.vnetCidr,
      appsSubnetCidr: config.network.appsSubnetCidr,
      endpointsSubnetCidr: config.network.endpointsSubnetCidr,
      tags,
    });

    new TerraformOutput(this, "resource_group", { value: rg.name });
    new TerraformOutput(this, "policy_bundle_version", { value: props.policyBundle.version });
  }
}
