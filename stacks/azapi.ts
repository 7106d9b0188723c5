/**
 * Minimal bindings for the azapi provider (Azure/azapi, ARM REST as Terraform resources): only
 * what the stack uses, written by hand rather than adding a generated provider package (there is
 * no prebuilt @cdktf/provider-azapi for cdktf 0.21; a generated one would weigh megabytes for two
 * attributes). Used where azurerm only offers a data-plane resource but ARM can create the object
 * through the management plane: Key Vault secrets and storage tables
 * (docs/decisions/0004-first-deploy-without-data-plane.md).
 */
import type { Construct } from "constructs";
import { TerraformProvider, TerraformResource, type TerraformMetaArguments } from "cdktf";

/** azapi 2.x: `body` as an HCL object, `sensitive_body` and ignore_missing_property. */
export const AZAPI_VERSION_CONSTRAINT = "~> 2.5";

export interface AzapiProviderConfig {
  /** The same subscription and tenant as the azurerm provider (credentials come from the same ARM_* variables or az login). */
  readonly subscriptionId: string;
  readonly tenantId: string;
}

export class AzapiProvider extends TerraformProvider {
  private readonly config: AzapiProviderConfig;
  constructor(scope: Construct, id: string, config: AzapiProviderConfig) {
    super(scope, id, {
      terraformResourceType: "azapi",
      terraformGeneratorMetadata: { providerName: "azapi", providerVersionConstraint: AZAPI_VERSION_CONSTRAINT },
      terraformProviderSource: "azure/azapi",
    });
    this.config = config;
  }
  protected synthesizeAttributes(): Record<string, unknown> {
    return { subscription_id: this.config.subscriptionId, tenant_id: this.config.tenantId };
  }
}

export interface AzapiResourceConfig extends TerraformMetaArguments {
  /** `<resource type>@<api version>`, e.g. `Microsoft.KeyVault/vaults/secrets@2023-07-01`. */
  readonly type: string;
  readonly name: string;
  /** ARM id of the parent (resource group, vault, table service). */
  readonly parentId: string;
  readonly body: Record<string, unknown>;
  /**
   * Parts of the body that must not appear in plans or state (a secret's value). azapi sends them
   * on create and when `sensitiveBodyVersion` changes. @default - none
   */
  readonly sensitiveBody?: Record<string, unknown>;
  /** @default - the sensitive body is sent on create only */
  readonly sensitiveBodyVersion?: Record<string, string>;
}

export class AzapiResource extends TerraformResource {
  private readonly props: AzapiResourceConfig;
  constructor(scope: Construct, id: string, config: AzapiResourceConfig) {
    super(scope, id, {
      terraformResourceType: "azapi_resource",
      terraformGeneratorMetadata: { providerName: "azapi", providerVersionConstraint: AZAPI_VERSION_CONSTRAINT },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      forEach: config.forEach,
    });
    this.props = config;
  }

  /** The ARM resource id. */
  get id(): string {
    return this.getStringAttribute("id");
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      type: this.props.type,
      name: this.props.name,
      parent_id: this.props.parentId,
      body: this.props.body,
      sensitive_body: this.props.sensitiveBody,
      sensitive_body_version: this.props.sensitiveBodyVersion,
    };
  }
}
