/**
 * One region's wiring, the same in the primary region (the stack itself is the scope) and in each
 * secondary region (a GatehouseRegion construct): network, workspace and audit account, Key Vault
 * and identities, the policy bundle copy, role grants, environment, gateway, agent and alerts.
 * What differs between regions comes in as props (the decision store, ingress, the edge and the
 * approval page's client), so the two cannot drift apart. Construct ids are the same in every
 * scope: a region's resources are named by their path, and the synthesized output does not change
 * with this fold.
 */
import type { Construct } from "constructs";
import { Network } from "./network";
import { Evidence, EVIDENCE_TABLES } from "./evidence";
import { IdentitySecrets, SIGNING_KEY_NAME } from "./identity-secrets";
import { PolicyBundleDelivery } from "./policy-bundle-delivery";
import { RuntimeAccess } from "./runtime-access";
import { APP_PORT, Compute } from "./compute";
import { Alerts } from "./alerts";
import { privateEndpointFor } from "./private-endpoint";
import type { DecisionStore, RegionalDeployment, RegionalDeploymentProps } from "./regional-deployment-props";

export type {
  DecisionStore,
  PublicFace,
  RegionalDeployment,
  RegionalDeploymentProps,
} from "./regional-deployment-props";
import { APPINSIGHTS_SECRET, APPROVALS_CLIENT_SECRET, SESSION_KEY_SECRET, bundleSecrets } from "./runtime-secrets";
import { approvalChannelEnv, approvalChannelSecretEnv, approvalChannelSecrets } from "./approval-channels";

export function buildRegionalDeployment(scope: Construct, props: RegionalDeploymentProps): RegionalDeployment {
  const { config, names: n } = props;
  const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };

  const network = new Network(scope, "network", {
    ...common,
    prefix: n.prefix,
    vnetName: n.vnet,
    // No peering between regions: each VNet reaches the decision account over its own endpoint.
    vnetCidr: config.network.vnetCidr,
    appsSubnetCidr: config.network.appsSubnetCidr,
    endpointsSubnetCidr: config.network.endpointsSubnetCidr,
    internetIngress: props.internetIngress,
  });
  const evidence = new Evidence(scope, "evidence", {
    ...common,
    prefix: n.prefix,
    logAnalyticsName: n.logAnalytics,
    appInsightsName: n.appInsights,
    storageAccountName: n.storageAccount,
    network,
    logRetentionDays: config.logRetentionDays,
    immutabilityPeriodDays: config.auditImmutability.periodDays,
    immutabilityLocked: config.auditImmutability.locked,
    ...(props.decisions ? { decisionTables: false } : {}),
  });
  const decisions: DecisionStore = props.decisions ?? { storage: evidence.storage, tables: evidence.tables! };
  if (props.decisions) {
    // The decision account's table service, resolved in this VNet to this endpoint (its own zone).
    privateEndpointFor(scope, "decision-table-endpoint", {
      ...common,
      name: `pe-${n.prefix}-decisions`,
      subnet: network.endpointsSubnet,
      targetResourceId: props.decisions.storage.id,
      subresource: "table",
      dnsZone: network.dnsZones.table,
    });
  }

  const ids = new IdentitySecrets(scope, "identity-secrets", {
    ...common,
    prefix: n.prefix,
    keyVaultName: n.keyVault,
    tenantId: config.tenantId,
    network,
    workspaceId: evidence.workspace.id,
    expiryDays: config.credentialExpiryDays,
    deploymentKeys: props.deploymentKeys,
    secrets: [
      ...bundleSecrets(props.policyBundle),
      {
        name: APPINSIGHTS_SECRET,
        readers: "both",
        contentType: "text/plain; connection-string",
        value: evidence.appInsights.connectionString,
      },
      {
        name: SESSION_KEY_SECRET,
        readers: "gateway",
        contentType: "application/octet-stream; base64; aes-key",
        value: "generated",
      },
      // Slack, SMTP and PagerDuty credentials: placeholders the operator sets (docs/deploy.md).
      ...approvalChannelSecrets(config.approvalChannels),
      ...(props.approvalsClientSecret
        ? [
            {
              name: APPROVALS_CLIENT_SECRET,
              readers: "gateway" as const,
              contentType: "text/plain; entra-client-secret",
              value: props.approvalsClientSecret.value,
            },
          ]
        : []),
    ],
  });
  const delivery = new PolicyBundleDelivery(scope, "policy-bundle", {
    keyVault: ids.keyVault,
    bundle: props.policyBundle,
    readers: { gateway: ids.gatewayIdentity.principalId, agent: ids.agentIdentity.principalId },
    expiryDays: config.credentialExpiryDays,
  });
  const access = new RuntimeAccess(scope, "runtime-access", {
    gatewayPrincipalId: ids.gatewayIdentity.principalId,
    agentPrincipalId: ids.agentIdentity.principalId,
    auditContainer: evidence.auditContainer,
    // The decision region's tables: approvals and grants are one store for every region.
    tableIds: EVIDENCE_TABLES.map((t) => decisions.tables[t].id),
    appInsights: evidence.appInsights,
  });
  const registry = props.registry?.(network, evidence.workspace.id);

  const appInsightsSecret = ids.secrets[APPINSIGHTS_SECRET];
  const approvalsClient = props.approvalsClientSecret !== undefined;
  const compute = new Compute(scope, "compute", {
    ...common,
    environmentName: n.environment,
    infrastructureResourceGroupName: n.environmentInfrastructure,
    subnet: network.appsSubnet,
    internal: !props.internetIngress,
    workspaceId: evidence.workspace.id,
    registry,
    gateway: {
      name: n.gatewayApp,
      image: config.gatewayImage,
      identity: ids.gatewayIdentity,
      minReplicas: config.gateway.minReplicas,
      maxReplicas: config.gateway.maxReplicas,
      env: {}, // filled by envFor: the URLs depend on the environment's domain
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
      const face = props.publicFace(compute, compute.appFqdn(n.gatewayApp, false), evidence.workspace.id);
      const shared = {
        GATEHOUSE_PORT: String(APP_PORT),
        // Inside the container: ingress reaches the app on its pod address, not loopback.
        GATEHOUSE_HOST: "0.0.0.0",
        GATEHOUSE_KEYVAULT_URL: ids.keyVault.vaultUri,
        GATEHOUSE_POLICY_SECRET_URL: delivery.secretUrl,
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
          GATEHOUSE_PUBLIC_URL: face.publicUrl,
          // With a custom domain or behind Front Door the gateway accepts the public host and still
          // the app's own host (health checks, a front door that forwards it, the domain not bound
          // yet; docs/deploy.md, "Custom domain"). Without either, the default: the public host.
          ...(face.allowedHosts ? { GATEHOUSE_ALLOWED_HOSTS: face.allowedHosts } : {}),
          // Requests without this X-Azure-FDID are refused: nothing reaches the gateway around the WAF.
          ...(face.frontDoorId ? { GATEHOUSE_FRONT_DOOR_ID: face.frontDoorId } : {}),
          ...(props.approvalsClientId
            ? { GATEHOUSE_APPROVALS_CLIENT_ID: props.approvalsClientId(face.publicUrl) }
            : {}),
          // Audit chains in this region's account; decisions in the decision region's tables.
          GATEHOUSE_STORAGE_BLOB_URL: evidence.storage.primaryBlobEndpoint,
          GATEHOUSE_STORAGE_TABLE_URL: decisions.storage.primaryTableEndpoint,
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

  new Alerts(scope, "alerts", {
    ...common,
    prefix: n.prefix,
    workspaceId: evidence.workspace.id,
    emails: config.alertEmails,
    denialSpikeThreshold: config.denialSpikeThreshold,
  });
  return { network, evidence, identitySecrets: ids, policyDelivery: delivery, compute };
}
