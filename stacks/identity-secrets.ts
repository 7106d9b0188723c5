/**
 * Identity and secrets: user-assigned identities for the gateway and the agent; a Key Vault in RBAC
 * mode that is reachable only through its private endpoint; the gateway's token-signing key, usable
 * to sign only by the gateway (the agent may read its public versions, nothing more); and secrets,
 * each readable only by the identity that needs it. Keys and secrets are created through ARM: the
 * deployer holds no Key Vault data role (docs/decisions/0004-first-deploy-without-data-plane.md).
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { Offset } from "@cdktf/provider-time/lib/offset";
import type { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import type { Network } from "./network";
import { privateEndpointFor } from "./private-endpoint";
import { diagnosticsToWorkspace } from "./diagnostics";
import { grantRole } from "./role-grant";
import { ArmKeyVaultSecret } from "./arm-key-vault-secret";
import { ArmKeyVaultKey } from "./arm-key-vault-key";
import type { DeploymentKeys } from "./deployment-keys";

export type SecretReader = "gateway" | "agent" | "both";

export interface ManagedSecret {
  readonly name: string;
  readonly readers: SecretReader;
  readonly contentType: string;
  /**
   * `generated`: 32 random bytes (base64), made once per deployment (deployment-keys.ts) and sent
   * once at creation. A string: a Terraform-managed value (e.g. a connection string).
   * @default - a placeholder the operator replaces (docs/deploy.md)
   */
  readonly value?: string | "generated";
}

export interface IdentitySecretsProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly prefix: string;
  readonly keyVaultName: string;
  readonly tenantId: string;
  readonly network: Network;
  readonly workspaceId: string;
  readonly secrets: readonly ManagedSecret[];
  /** Where `generated` secrets take their value: the same in every region of the deployment. */
  readonly deploymentKeys: DeploymentKeys;
  /** Lifetime of the signing key and of secrets, in days. @default 365 */
  readonly expiryDays?: number;
  readonly tags: Record<string, string>;
}

export const SIGNING_KEY_NAME = "gateway-signing";
export const SECRET_PLACEHOLDER = "unset: replace with az keyvault secret set (docs/deploy.md)";

export class IdentitySecrets extends Construct {
  readonly gatewayIdentity: UserAssignedIdentity;
  readonly agentIdentity: UserAssignedIdentity;
  readonly keyVault: KeyVault;
  readonly signingKey: ArmKeyVaultKey;
  readonly secrets: Record<string, ArmKeyVaultSecret>;
  /** Data-plane grants each app needs before it starts. */
  readonly grants: { readonly gateway: RoleAssignment[]; readonly agent: RoleAssignment[] } = {
    gateway: [],
    agent: [],
  };

  constructor(scope: Construct, id: string, props: IdentitySecretsProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    const expiryDays = props.expiryDays ?? 365;

    this.gatewayIdentity = new UserAssignedIdentity(this, "gateway-identity", {
      ...common,
      name: `id-${props.prefix}-gateway`,
    });
    this.agentIdentity = new UserAssignedIdentity(this, "agent-identity", {
      ...common,
      name: `id-${props.prefix}-agent`,
    });

    this.keyVault = new KeyVault(this, "key-vault", {
      ...common,
      name: props.keyVaultName,
      tenantId: props.tenantId,
      skuName: "standard",
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      publicNetworkAccessEnabled: false,
      networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
    });
    privateEndpointFor(this, "key-vault-endpoint", {
      name: `pe-${props.prefix}-vault`,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnet: props.network.endpointsSubnet,
      targetResourceId: this.keyVault.id,
      subresource: "vault",
      dnsZone: props.network.dnsZones.vault,
      tags: props.tags,
    });
    diagnosticsToWorkspace(this, "key-vault-diagnostics", this.keyVault.id, props.workspaceId);
    // Expiry of the key's first version and of secrets, fixed at creation (a time_offset keeps its
    // base time in state): rotation moves it, re-planning must not.
    const expiry = new Offset(this, "secret-expiry", { offsetDays: expiryDays });

    // Automatic rotation: the agent trusts every enabled, unexpired version it reads from Key Vault
    // (GATEHOUSE_GATEWAY_SIGNING_KEY_ID), so a new version never refuses a call and needs no
    // deploy. A gateway replica keeps certifying with the version it started with: the previous
    // version stays valid for the 30 days between rotation and its expiry (docs/deploy.md, "Rotation").
    this.signingKey = new ArmKeyVaultKey(this, "signing-key", {
      keyVault: this.keyVault,
      name: SIGNING_KEY_NAME,
      expiresUnix: expiry.unix,
      lifetimeDays: expiryDays,
    });
    this.grants.gateway.push(
      grantRole(this, "gateway-signs", {
        role: "Key Vault Crypto User",
        scope: this.signingKey.resourceId,
        principalId: this.gatewayIdentity.principalId,
        description: "Only the gateway signs gateway-issued tokens",
      }),
    );
    // Key Vault Reader's data actions are Microsoft.KeyVault/vaults/*/read and
    // secrets/readMetadata/action; at this scope that is keys/read on this key: its versions and
    // public material, no cryptographic operation (Key Vault Crypto User would also let the agent
    // sign gateway tokens). The agent's app waits for this grant to propagate (compute.ts).
    this.grants.agent.push(
      grantRole(this, "agent-reads-signing-key", {
        role: "Key Vault Reader",
        scope: this.signingKey.resourceId,
        principalId: this.agentIdentity.principalId,
        description: "The agent trusts every enabled version of the gateway's key (public material only)",
      }),
    );
    this.secrets = {};
    for (const spec of props.secrets) {
      const managed = spec.value !== undefined && spec.value !== "generated";
      const secret = new ArmKeyVaultSecret(this, `secret-${spec.name}`, {
        keyVault: this.keyVault,
        name: spec.name,
        value: spec.value === "generated" ? props.deploymentKeys.keyFor(spec.name) : (spec.value ?? SECRET_PLACEHOLDER),
        contentType: spec.contentType,
        expiresUnix: expiry.unix,
        // Placeholders are replaced by the operator and generated keys are made once: never reset
        // them; a Terraform-managed value (a connection string) is re-sent when it changes.
        valueVersion: managed ? Fn.sha256(spec.value as string) : undefined,
      });
      this.secrets[spec.name] = secret;
      const readers = spec.readers === "both" ? (["gateway", "agent"] as const) : [spec.readers];
      for (const reader of readers) {
        this.grants[reader].push(
          grantRole(this, `${reader}-reads-${spec.name}`, {
            role: "Key Vault Secrets User",
            scope: secret.resourceId,
            principalId: (reader === "gateway" ? this.gatewayIdentity : this.agentIdentity).principalId,
            description: `Only the ${reader} reads ${spec.name}`,
          }),
        );
      }
    }
  }
}
