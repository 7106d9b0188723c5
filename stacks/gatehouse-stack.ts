/**
 * The composing stack: one Terraform stack holding every concern of a Gatehouse deployment, wired
 * together, with the compliance pack applied as an Aspect so a non-compliant change fails synth.
 */
import { Construct } from "constructs";
import { AzurermBackend, LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { gatehouseAzurermProvider } from "./azurerm-provider";
import { AzapiProvider } from "./azapi";
import { existingRegistry, PrivateRegistry } from "./image-registry";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import type { PolicyBundle } from "../runtime/core/policy-model/schema";
import type { GatehouseConfig } from "./config";
import { names } from "./naming";
import { Network } from "./network";
import { Evidence, EVIDENCE_TABLES } from "./evidence";
import { IdentitySecrets, SIGNING_KEY_NAME } from "./identity-secrets";
import { PolicyBundleDelivery } from "./policy-bundle-delivery";
import { RuntimeAccess } from "./runtime-access";
import { APP_PORT, Compute } from "./compute";
import { Annotations, Aspects, Lazy } from "cdktf";
import { AzureadProvider } from "@cdktf/provider-azuread/lib/provider";
import { Offset } from "@cdktf/provider-time/lib/offset";
import { AppRegistration } from "./app-registration";
import { Alerts } from "./alerts";
import { AuditorWorkbook } from "./workbooks/auditor-workbook";
import { addSuppressions, ComplianceAspect, GATEHOUSE_RULE_PACK } from "./compliance";
import { EdgeFrontDoor } from "./edge-front-door";
import { APPINSIGHTS_SECRET, APPROVALS_CLIENT_SECRET, SESSION_KEY_SECRET, bundleSecrets } from "./runtime-secrets";
import { approvalChannelEnv, approvalChannelSecretEnv, approvalChannelSecrets } from "./approval-channels";
import { regionalNames } from "./naming";
import { GatehouseRegion } from "./gatehouse-region";

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

    this.network = new Network(this, "network", {
      resourceGroupName: rg.name,
      location: config.location,
      prefix: n.prefix,
      vnetName: n.vnet,
      vnetCidr: config.network.vnetCidr,
      appsSubnetCidr: config.network.appsSubnetCidr,
      endpointsSubnetCidr: config.network.endpointsSubnetCidr,
      internetIngress: config.edge.kind === "none",
      tags,
    });

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

    this.evidence = new Evidence(this, "evidence", {
      ...common,
      prefix: n.prefix,
      logAnalyticsName: n.logAnalytics,
      appInsightsName: n.appInsights,
      storageAccountName: n.storageAccount,
      network: this.network,
      logRetentionDays: config.logRetentionDays,
      immutabilityPeriodDays: config.auditImmutability.periodDays,
      immutabilityLocked: config.auditImmutability.locked,
    });

    this.identitySecrets = new IdentitySecrets(this, "identity-secrets", {
      ...common,
      prefix: n.prefix,
      keyVaultName: n.keyVault,
      tenantId: config.tenantId,
      network: this.network,
      workspaceId: this.evidence.workspace.id,
      expiryDays: config.credentialExpiryDays,
      secrets: [
        ...bundleSecrets(props.policyBundle),
        {
          name: APPINSIGHTS_SECRET,
          readers: "both",
          contentType: "text/plain; connection-string",
          value: this.evidence.appInsights.connectionString,
        },
        {
          name: SESSION_KEY_SECRET,
          readers: "gateway",
          contentType: "application/octet-stream; base64; aes-key",
          value: "generated",
        },
        // Slack, SMTP and PagerDuty credentials: placeholders the operator sets (docs/deploy.md).
        ...approvalChannelSecrets(config.approvalChannels),
        ...(approvalsClient
          ? [
              {
                name: APPROVALS_CLIENT_SECRET,
                readers: "gateway" as const,
                contentType: "text/plain; entra-client-secret",
                // Created registration: its password (made in envFor below, once the public URL is known).
                value: config.createAppRegistration
                  ? Lazy.stringValue({ produce: () => appRegistration!.password.value })
                  : undefined,
              },
            ]
          : []),
      ],
    });
    const ids = this.identitySecrets;

    this.policyDelivery = new PolicyBundleDelivery(this, "policy-bundle", {
      keyVault: ids.keyVault,
      bundle: props.policyBundle,
      readers: { gateway: ids.gatewayIdentity.principalId, agent: ids.agentIdentity.principalId },
      expiryDays: config.credentialExpiryDays,
    });

    const access = new RuntimeAccess(this, "runtime-access", {
      gatewayPrincipalId: ids.gatewayIdentity.principalId,
      agentPrincipalId: ids.agentIdentity.principalId,
      auditContainer: this.evidence.auditContainer,
      tableIds: EVIDENCE_TABLES.map((t) => this.evidence.tables![t].id),
      appInsights: this.evidence.appInsights,
    });

    if (!approvalsClient) {
      Annotations.of(this).addWarning(
        "GATEHOUSE_APPROVALS_CLIENT_ID is not set: approvers cannot sign in to the /approvals page (its client id would default to the audience without api://, which is not a client id); set it and the approvals-client-secret Key Vault secret (docs/deploy.md)",
      );
    }
    const registry = config.registryId
      ? existingRegistry(config.registryId)
      : config.createAcr
        ? new PrivateRegistry(this, "registry", {
            ...common,
            name: n.registry,
            prefix: n.prefix,
            network: this.network,
            workspaceId: this.evidence.workspace.id,
          }).ref
        : undefined;
    if (!registry) {
      Annotations.of(this).addWarning(
        "no registry configured (GATEHOUSE_REGISTRY_ID or GATEHOUSE_CREATE_ACR=true): the apps pull their images anonymously, which works only for public images (docs/deploy.md)",
      );
    }
    const storage = this.evidence.storage;
    const appInsightsSecret = ids.secrets[APPINSIGHTS_SECRET];
    this.compute = new Compute(this, "compute", {
      ...common,
      environmentName: n.environment,
      infrastructureResourceGroupName: n.environmentInfrastructure,
      subnet: this.network.appsSubnet,
      internal: config.edge.kind === "frontdoor",
      workspaceId: this.evidence.workspace.id,
      registry,
      gateway: {
        name: n.gatewayApp,
        image: config.gatewayImage,
        identity: ids.gatewayIdentity,
        minReplicas: config.gateway.minReplicas,
        maxReplicas: config.gateway.maxReplicas,
        env: {}, // filled below: the URLs depend on the environment's domain
        secretEnv: {
          APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsSecret,
          GATEHOUSE_SESSION_KEY: ids.secrets[SESSION_KEY_SECRET],
          // The `hash` masking style's HMAC key (bundleSecrets: readable by the gateway only).
          GATEHOUSE_MASKING_HASH_KEY: ids.secrets[props.policyBundle.maskingSettings.hashKeySecretName],
          // Code redemption by a confidential client (Web redirect URI) needs its secret.
          ...(approvalsClient ? { GATEHOUSE_APPROVALS_CLIENT_SECRET: ids.secrets[APPROVALS_CLIENT_SECRET] } : {}),
          // Key Vault references, like every secret: never plain settings.
          ...approvalChannelSecretEnv(config.approvalChannels, ids.secrets),
        },
        grants: [...access.gatewayGrants, ...ids.grants.gateway, this.policyDelivery.readerGrants.gateway],
      },
      agent: {
        name: n.agentApp,
        image: config.agentImage,
        identity: ids.agentIdentity,
        minReplicas: config.agent.minReplicas,
        maxReplicas: config.agent.maxReplicas,
        env: {},
        secretEnv: { APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsSecret },
        grants: [...access.agentGrants, ...ids.grants.agent, this.policyDelivery.readerGrants.agent],
      },
      envFor: (compute) => {
        const defaultHost = compute.appFqdn(n.gatewayApp, false);
        // The edge needs the environment (its Private Link target) and gives the public host.
        const edge = (this.edge =
          config.edge.kind === "frontdoor"
            ? new EdgeFrontDoor(this, "edge", {
                ...common,
                prefix: n.prefix,
                environment: compute.environment,
                originHostName: defaultHost,
                workspaceId: this.evidence.workspace.id,
                rateLimitPerMinute: config.edge.rateLimitPerMinute,
              })
            : undefined);
        const publicHost = config.publicUrl ? new URL(config.publicUrl).host : (edge?.hostName ?? defaultHost);
        const publicUrl = config.publicUrl ?? `https://${publicHost}`;
        const shared = {
          GATEHOUSE_PORT: String(APP_PORT),
          // Inside the container: ingress reaches the app on its pod address, not loopback.
          GATEHOUSE_HOST: "0.0.0.0",
          GATEHOUSE_KEYVAULT_URL: ids.keyVault.vaultUri,
          GATEHOUSE_POLICY_SECRET_URL: this.policyDelivery.secretUrl,
        };
        return {
          gateway: {
            ...shared,
            GATEHOUSE_SIGNING_KEY_NAME: SIGNING_KEY_NAME,
            // Accepted `tid` values (the gateway never read GATEHOUSE_TENANT_ID; typing the map
            // against its schema now refuses such a variable at build time).
            GATEHOUSE_TENANT_IDS: config.tenantId,
            GATEHOUSE_AUDIENCE: config.audience,
            GATEHOUSE_IDENTITY_METADATA: `https://login.microsoftonline.com/${config.tenantId}/v2.0/.well-known/openid-configuration`,
            GATEHOUSE_AGENT_URL: `https://${compute.appFqdn(n.agentApp, true)}`,
            GATEHOUSE_PUBLIC_URL: publicUrl,
            // With a custom domain the gateway accepts its Host and still the app's own host
            // (health checks, a front door that forwards it, the domain not bound yet); the
            // domain and its managed certificate are bound once DNS points at the app
            // (docs/deploy.md, "Custom domain"). Without one, the default applies: the public host.
            // Behind Front Door the same: it forwards the app's own host (the origin host header).
            ...(config.publicUrl || edge ? { GATEHOUSE_ALLOWED_HOSTS: `${publicHost},${defaultHost}` } : {}),
            // Requests without this X-Azure-FDID are refused: nothing reaches the gateway around the WAF.
            ...(edge ? { GATEHOUSE_FRONT_DOOR_ID: edge.frontDoorId } : {}),
            ...(approvalsClient ? { GATEHOUSE_APPROVALS_CLIENT_ID: approvalsClientId(publicUrl) } : {}),
            GATEHOUSE_STORAGE_BLOB_URL: storage.primaryBlobEndpoint,
            GATEHOUSE_STORAGE_TABLE_URL: storage.primaryTableEndpoint,
            AZURE_CLIENT_ID: ids.gatewayIdentity.clientId,
            ...approvalChannelEnv(config.approvalChannels),
          },
          agent: {
            ...shared,
            GATEHOUSE_CREDENTIAL_PROVIDER: "keyvault",
            // The keys the agent trusts: every enabled version of the gateway's signing key, read
            // from Key Vault at start (Key Vault Reader on the key; no start without it) and again on
            // an unknown key id, so a rotation never refuses a call. No fixed JWK: the key is created
            // through ARM, which never returns its public half (docs/decisions/0004).
            GATEHOUSE_GATEWAY_SIGNING_KEY_ID: ids.signingKey.versionlessId,
            AZURE_CLIENT_ID: ids.agentIdentity.clientId,
          },
        };
      },
    });

    new Alerts(this, "alerts", {
      ...common,
      prefix: n.prefix,
      workspaceId: this.evidence.workspace.id,
      emails: config.alertEmails,
      denialSpikeThreshold: config.denialSpikeThreshold,
    });
    new AuditorWorkbook(this, "auditor-workbook", {
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
        tags,
      });
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
