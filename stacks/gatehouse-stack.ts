/**
 * The composing stack: one Terraform stack holding every concern of a Gatehouse deployment, wired
 * together, with the compliance pack applied as an Aspect so a non-compliant change fails synth.
 */
import { Construct } from "constructs";
import { AzurermBackend, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { gatehouseAzurermProvider } from "./azurerm-provider";
import { AzapiProvider } from "./azapi";
import { existingRegistry, PrivateRegistry, type RegistryRef } from "./image-registry";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import type { PolicyBundle } from "../runtime/core/policy-model/schema";
import type { GatehouseConfig } from "./config";
import { names } from "./naming";
import type { Network } from "./network";
import type { Evidence } from "./evidence";
import type { IdentitySecrets } from "./identity-secrets";
import type { PolicyBundleDelivery } from "./policy-bundle-delivery";
import type { Compute } from "./compute";
import { Annotations, Aspects, Lazy } from "cdktf";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { Offset } from "@cdktf/provider-time/lib/offset";
import { AppRegistration } from "./app-registration";
import { AuditorWorkbook } from "./workbooks/auditor-workbook";
import { addSuppressions, ComplianceAspect, GATEHOUSE_RULE_PACK } from "./compliance";
import { EdgeFrontDoor } from "./edge-front-door";
import { APPINSIGHTS_SECRET, APPROVALS_CLIENT_SECRET, SESSION_KEY_SECRET, bundleSecrets } from "./runtime-secrets";
import { regionalNames } from "./naming";
import { GatehouseRegion } from "./gatehouse-region";
import { buildRegionalDeployment } from "./regional-deployment";
import { DeploymentKeys } from "./deployment-keys";

export { APPINSIGHTS_SECRET, APPROVALS_CLIENT_SECRET, SESSION_KEY_SECRET, bundleSecrets };

export interface GatehouseStackProps {
  readonly config: GatehouseConfig;
  /** The compiled, sealed policy bundle the gateway and agent load. */
  readonly policyBundle: PolicyBundle;
}

export class GatehouseStack extends TerraformStack {
  readonly network: Network;
  readonly evidence: Evidence;
  readonly identitySecrets: IdentitySecrets;
  readonly policyDelivery: PolicyBundleDelivery;
  readonly compute: Compute;
  /** Front Door + WAF in front of the gateway (GATEHOUSE_EDGE=frontdoor). */
  edge?: EdgeFrontDoor;
  /** The other regions of GATEHOUSE_REGIONS, by location (none for one region). */
  readonly regions: Record<string, GatehouseRegion> = {};
  readonly compliance: ComplianceAspect;

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

    gatehouseAzurermProvider(this, "azurerm", { subscriptionId: config.subscriptionId, tenantId: config.tenantId });
    new TimeProvider(this, "time", {});
    new AzapiProvider(this, "azapi", { subscriptionId: config.subscriptionId, tenantId: config.tenantId });

    const rg = new ResourceGroup(this, "resource-group", { name: n.resourceGroup, location: config.location, tags });

    // The approval page's client: given (GATEHOUSE_APPROVALS_CLIENT_ID) or created here.
    const approvalsClient = config.approvalsClientId !== undefined || config.createAppRegistration;
    let appRegistration: AppRegistration | undefined;
    const approvalsClientId = (publicUrl: string): string => {
      if (!config.createAppRegistration) return config.approvalsClientId!;
      new AzureadProvider(this, "azuread", { tenantId: config.tenantId });
      appRegistration = new AppRegistration(this, "app-registration", {
        displayName: `Gatehouse (${config.environment})`,
        audience: config.audience,
        publicUrl,
        secretEndDate: new Offset(this, "approvals-secret-expiry", { offsetDays: config.credentialExpiryDays }).rfc3339,
      });
      return appRegistration.application.clientId;
    };
    const common = { resourceGroupName: rg.name, location: config.location, tags };
    if (!approvalsClient) {
      Annotations.of(this).addWarning(
        "GATEHOUSE_APPROVALS_CLIENT_ID is not set: approvers cannot sign in to the /approvals page (its client id would default to the audience without api://, which is not a client id); set it and the approvals-client-secret Key Vault secret (docs/deploy.md)",
      );
    }

    // The session key and masking hash key, generated once and written into every region's vault.
    const deploymentKeys = new DeploymentKeys(this, "deployment-keys");
    // The decision region: its own tables decide for every region (docs/decisions/0007).
    let registry: RegistryRef | undefined;
    const primary = buildRegionalDeployment(this, {
      ...common,
      config,
      policyBundle: props.policyBundle,
      names: n,
      deploymentKeys,
      internetIngress: config.edge.kind === "none",
      approvalsClientSecret: approvalsClient
        ? {
            // Created registration: its password (made in approvalsClientId, once the public URL is known).
            value: config.createAppRegistration
              ? Lazy.stringValue({ produce: () => appRegistration!.password.value })
              : undefined,
          }
        : undefined,
      registry: (network, workspaceId) => {
        registry = config.registryId
          ? existingRegistry(config.registryId)
          : config.createAcr
            ? new PrivateRegistry(this, "registry", {
                ...common,
                name: n.registry,
                prefix: n.prefix,
                network,
                workspaceId,
              }).ref
            : undefined;
        if (!registry) {
          Annotations.of(this).addWarning(
            "no registry configured (GATEHOUSE_REGISTRY_ID or GATEHOUSE_CREATE_ACR=true): the apps pull their images anonymously, which works only for public images (docs/deploy.md)",
          );
        }
        return registry;
      },
      publicFace: (compute, defaultHost, workspaceId) => {
        // The edge needs the environment (its Private Link target) and gives the public host.
        const edge = (this.edge =
          config.edge.kind === "frontdoor"
            ? new EdgeFrontDoor(this, "edge", {
                ...common,
                prefix: n.prefix,
                environment: compute.environment,
                originHostName: defaultHost,
                workspaceId,
                rateLimitPerMinute: config.edge.rateLimitPerMinute,
              })
            : undefined);
        const publicHost = config.publicUrl ? new URL(config.publicUrl).host : (edge?.hostName ?? defaultHost);
        return {
          publicUrl: config.publicUrl ?? `https://${publicHost}`,
          allowedHosts: config.publicUrl || edge ? `${publicHost},${defaultHost}` : undefined,
          frontDoorId: edge?.frontDoorId,
        };
      },
      approvalsClientId: approvalsClient ? approvalsClientId : undefined,
    });
    this.network = primary.network;
    this.evidence = primary.evidence;
    this.identitySecrets = primary.identitySecrets;
    this.policyDelivery = primary.policyDelivery;
    this.compute = primary.compute;
    const ids = this.identitySecrets;
    const storage = this.evidence.storage;

    const workbook = new AuditorWorkbook(this, "auditor-workbook", {
      ...common,
      workspaceId: this.evidence.workspace.id,
      seed: `${config.subscriptionId}/${config.environment}`,
    });

    // Secondary regions (GATEHOUSE_REGIONS): the same deployment beside this one, behind the same
    // Front Door, deciding in this region's tables (docs/decisions/0007). The config refuses
    // several regions without the edge.
    for (const location of config.secondaryRegions) {
      const edge = this.edge!;
      this.regions[location] = new GatehouseRegion(this, `region-${location}`, {
        config,
        policyBundle: props.policyBundle,
        names: regionalNames(config, location),
        location,
        decisions: { storage, tables: this.evidence.tables! },
        deploymentKeys,
        edge,
        publicUrl: config.publicUrl ?? `https://${edge.hostName}`,
        publicHost: config.publicUrl ? new URL(config.publicUrl).host : edge.hostName,
        approvalsClient: approvalsClient
          ? {
              clientId: config.createAppRegistration
                ? appRegistration!.application.clientId
                : config.approvalsClientId!,
              secretValue: config.createAppRegistration ? appRegistration!.password.value : undefined,
            }
          : undefined,
        registry,
        registryIsPrivate: !config.registryId && config.createAcr,
        tags,
      });
      // One auditor view: the workbook queries every region's workspace.
      workbook.addRegionWorkspace(this.regions[location].evidence.workspace.id);
    }

    new TerraformOutput(this, "resource_group", { value: rg.name });
    new TerraformOutput(this, "gateway_url", {
      value: config.publicUrl ?? `https://${this.edge?.hostName ?? this.compute.appFqdn(n.gatewayApp, false)}`,
    });
    if (this.edge) new TerraformOutput(this, "front_door_id", { value: this.edge.frontDoorId });
    if (config.edge.kind === "none") {
      // Dev only: the public environment is allowed, and the reason is written into the synthesized output.
      addSuppressions(this.compute.environment, [
        { id: "GH_EDGE_1", reason: `GATEHOUSE_EDGE=none: ${config.edge.reason}` },
      ]);
    }
    new TerraformOutput(this, "key_vault_name", { value: ids.keyVault.name });
    // For a custom domain: CNAME <host> -> gateway_default_fqdn, TXT asuid.<host> -> the verification id.
    new TerraformOutput(this, "gateway_default_fqdn", { value: this.compute.appFqdn(n.gatewayApp, false) });
    new TerraformOutput(this, "custom_domain_verification_id", {
      value: this.compute.gatewayApp.customDomainVerificationId,
      sensitive: true,
    });
    new TerraformOutput(this, "audit_storage_account", { value: this.evidence.storage.name });
    this.compliance = new ComplianceAspect(this, GATEHOUSE_RULE_PACK, "gatehouse-azure");
    Aspects.of(this).add(this.compliance);
    new TerraformOutput(this, "policy_bundle_version", { value: props.policyBundle.version });
  }
}
