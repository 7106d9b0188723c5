/**
 * A secondary region of a multi-region deployment (GATEHOUSE_REGIONS): its own resource group,
 * network, workspace, audit account (its own chains in its own WORM container), Key Vault,
 * identities, policy bundle copy, environment, gateway and agent — behind the primary region's
 * Front Door as one more origin, and deciding approvals and JIT grants in the primary region's
 * tables, reached over a private endpoint in this region's VNet (docs/decisions/0007).
 */
import { Construct } from "constructs";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import type { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import type { AzapiResource } from "./azapi";
import type { PolicyBundle } from "../runtime/core/policy-model/schema";
import type { GatehouseConfig } from "./config";
import type { Names } from "./naming";
import { Network } from "./network";
import { Evidence, EVIDENCE_TABLES } from "./evidence";
import { IdentitySecrets, SIGNING_KEY_NAME } from "./identity-secrets";
import { PolicyBundleDelivery } from "./policy-bundle-delivery";
import { RuntimeAccess } from "./runtime-access";
import { APP_PORT, Compute } from "./compute";
import { Alerts } from "./alerts";
import { privateEndpointFor } from "./private-endpoint";
import type { EdgeFrontDoor } from "./edge-front-door";
import type { RegistryRef } from "./image-registry";
import { APPINSIGHTS_SECRET, APPROVALS_CLIENT_SECRET, SESSION_KEY_SECRET, bundleSecrets } from "./runtime-secrets";
import { approvalChannelEnv, approvalChannelSecretEnv, approvalChannelSecrets } from "./approval-channels";

export interface GatehouseRegionProps {
  readonly config: GatehouseConfig;
  readonly policyBundle: PolicyBundle;
  /** This region's names (naming.ts `regionalNames`). */
  readonly names: Names;
  readonly location: string;
  /** The decision region's audit account and its approvals and grants tables. */
  readonly decisions: {
    readonly storage: StorageAccount;
    readonly tables: Record<(typeof EVIDENCE_TABLES)[number], AzapiResource>;
  };
  /** The one Front Door of the deployment: this region becomes an origin of its gateway group. */
  readonly edge: EdgeFrontDoor;
  /** The gateway's public URL (the same in every region: Front Door's host or the custom domain). */
  readonly publicUrl: string;
  /** Its host (a token with Front Door's host, so not parsed from the URL here). */
  readonly publicHost: string;
  /**
   * The approval page's client (the primary's registration) and, when the stack created it, its
   * password to store in this region's vault. @default - none: the approval page cannot sign in
   */
  readonly approvalsClient?: { readonly clientId: string; readonly secretValue?: string };
  /** @default - images pulled anonymously */
  readonly registry?: RegistryRef;
  readonly tags: Record<string, string>;
}

export class GatehouseRegion extends Construct {
  readonly resourceGroup: ResourceGroup;
  readonly network: Network;
  readonly evidence: Evidence;
  readonly identitySecrets: IdentitySecrets;
  readonly compute: Compute;

  constructor(scope: Construct, id: string, props: GatehouseRegionProps) {
    super(scope, id);
    const { config, names: n, location } = props;
    const tags = { ...props.tags, region: location };
    this.resourceGroup = new ResourceGroup(this, "resource-group", { name: n.resourceGroup, location, tags });
    const common = { resourceGroupName: this.resourceGroup.name, location, tags };

    this.network = new Network(this, "network", {
      ...common,
      prefix: n.prefix,
      vnetName: n.vnet,
      // No peering between regions: each VNet reaches the decision account over its own endpoint.
      vnetCidr: config.network.vnetCidr,
      appsSubnetCidr: config.network.appsSubnetCidr,
      endpointsSubnetCidr: config.network.endpointsSubnetCidr,
      internetIngress: false,
    });
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
      decisionTables: false,
    });
    // The decision account's table service, resolved in this VNet to this endpoint (its own zone).
    privateEndpointFor(this, "decision-table-endpoint", {
      ...common,
      name: `pe-${n.prefix}-decisions`,
      subnet: this.network.endpointsSubnet,
      targetResourceId: props.decisions.storage.id,
      subresource: "table",
      dnsZone: this.network.dnsZones.table,
    });

    const ids = (this.identitySecrets = new IdentitySecrets(this, "identity-secrets", {
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
        ...(props.approvalsClient
          ? [
              {
                name: APPROVALS_CLIENT_SECRET,
                readers: "gateway" as const,
                contentType: "text/plain; entra-client-secret",
                value: props.approvalsClient.secretValue,
              },
            ]
          : []),
      ],
    }));
    const delivery = new PolicyBundleDelivery(this, "policy-bundle", {
      keyVault: ids.keyVault,
      bundle: props.policyBundle,
      readers: { gateway: ids.gatewayIdentity.principalId, agent: ids.agentIdentity.principalId },
      expiryDays: config.credentialExpiryDays,
    });
    const access = new RuntimeAccess(this, "runtime-access", {
      gatewayPrincipalId: ids.gatewayIdentity.principalId,
      agentPrincipalId: ids.agentIdentity.principalId,
      auditContainer: this.evidence.auditContainer,
      // The decision region's tables: approvals and grants are one store for every region.
      tableIds: EVIDENCE_TABLES.map((t) => props.decisions.tables[t].id),
      appInsights: this.evidence.appInsights,
    });

    const appInsightsSecret = ids.secrets[APPINSIGHTS_SECRET];
    const publicHost = props.publicHost;
    this.compute = new Compute(this, "compute", {
      ...common,
      environmentName: n.environment,
      infrastructureResourceGroupName: n.environmentInfrastructure,
      subnet: this.network.appsSubnet,
      internal: true,
      workspaceId: this.evidence.workspace.id,
      registry: props.registry,
      gateway: {
        name: n.gatewayApp,
        image: config.gatewayImage,
        identity: ids.gatewayIdentity,
        minReplicas: config.gateway.minReplicas,
        maxReplicas: config.gateway.maxReplicas,
        env: {},
        secretEnv: {
          APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsSecret,
          GATEHOUSE_SESSION_KEY: ids.secrets[SESSION_KEY_SECRET],
          GATEHOUSE_MASKING_HASH_KEY: ids.secrets[props.policyBundle.maskingSettings.hashKeySecretName],
          ...(props.approvalsClient ? { GATEHOUSE_APPROVALS_CLIENT_SECRET: ids.secrets[APPROVALS_CLIENT_SECRET] } : {}),
          // Key Vault references, like every secret: never plain settings.
          ...approvalChannelSecretEnv(config.approvalChannels, ids.secrets),
        },
        grants: [...access.gatewayGrants, ...ids.grants.gateway, delivery.readerGrants.gateway],
      },
      agent: {
        name: n.agentApp,
        image: config.agentImage,
        identity: ids.agentIdentity,
        minReplicas: config.agent.minReplicas,
        maxReplicas: config.agent.maxReplicas,
        env: {},
        secretEnv: { APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsSecret },
        grants: [...access.agentGrants, ...ids.grants.agent, delivery.readerGrants.agent],
      },
      envFor: (compute) => {
        const defaultHost = compute.appFqdn(n.gatewayApp, false);
        props.edge.addRegionOrigin({ location, environment: compute.environment, originHostName: defaultHost });
        const shared = {
          GATEHOUSE_PORT: String(APP_PORT),
          GATEHOUSE_HOST: "0.0.0.0",
          GATEHOUSE_KEYVAULT_URL: ids.keyVault.vaultUri,
          GATEHOUSE_POLICY_SECRET_URL: delivery.secretUrl,
        };
        return {
          gateway: {
            ...shared,
            GATEHOUSE_SIGNING_KEY_NAME: SIGNING_KEY_NAME,
            GATEHOUSE_TENANT_IDS: config.tenantId,
            GATEHOUSE_AUDIENCE: config.audience,
            GATEHOUSE_IDENTITY_METADATA: `https://login.microsoftonline.com/${config.tenantId}/v2.0/.well-known/openid-configuration`,
            GATEHOUSE_AGENT_URL: `https://${compute.appFqdn(n.agentApp, true)}`,
            GATEHOUSE_PUBLIC_URL: props.publicUrl,
            GATEHOUSE_ALLOWED_HOSTS: `${publicHost},${defaultHost}`,
            GATEHOUSE_FRONT_DOOR_ID: props.edge.frontDoorId,
            ...(props.approvalsClient ? { GATEHOUSE_APPROVALS_CLIENT_ID: props.approvalsClient.clientId } : {}),
            // Audit chains in this region's account; decisions in the decision region's tables.
            GATEHOUSE_STORAGE_BLOB_URL: this.evidence.storage.primaryBlobEndpoint,
            GATEHOUSE_STORAGE_TABLE_URL: props.decisions.storage.primaryTableEndpoint,
            AZURE_CLIENT_ID: ids.gatewayIdentity.clientId,
            ...approvalChannelEnv(config.approvalChannels),
          },
          agent: {
            ...shared,
            GATEHOUSE_CREDENTIAL_PROVIDER: "keyvault",
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
  }
}
