/**
 * Identity and secrets: user-assigned identities for the gateway and the agent; a Key Vault in RBAC
 * mode that is reachable only through its private endpoint; the gateway's token-signing key, usable
 * to sign only by the gateway (the agent gets only its public JWK); and secrets, each readable only by the identity that needs it.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { KeyVaultSecret } from "@cdktf/provider-azurerm/lib/key-vault-secret";
import type { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import type { Network } from "./network";
import { privateEndpointFor } from "./private-endpoint";
import { diagnosticsToWorkspace } from "./diagnostics";
import { grantRole } from "./role-grant";
import { waitForRbac } from "./rbac-propagation";

export type SecretReader = "gateway" | "agent" | "both";

export interface ManagedSecret {
  readonly name: string;
  readonly readers: SecretReader;
  readonly contentType: string;
  /**
   * `generated`: 32 random bytes (base64), made once at creation. A string: a Terraform-managed
   * value (e.g. a connection string). @default - a placeholder the operator replaces (docs/deploy.md)
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
  /** The deploying principal, which manages the key and secrets through the data plane. */
  readonly deployerObjectId: string;
  readonly secrets: readonly ManagedSecret[];
  /** Lifetime of the signing key and of secrets, in days. @default 365 */
  readonly expiryDays?: number;
  readonly tags: Record<string, string>;
}

export const SIGNING_KEY_NAME = "gateway-signing";
/** sha256 of two random UUIDs: 32 bytes, base64 (no random provider needed; stored in state, which is encrypted). */
const GENERATED_KEY = Fn.base64sha256(Fn.join("", [Fn.uuid(), Fn.uuid()]));
export const SECRET_PLACEHOLDER = "unset: replace with az keyvault secret set (docs/deploy.md)";

export class IdentitySecrets extends Construct {
  readonly gatewayIdentity: UserAssignedIdentity;
  readonly agentIdentity: UserAssignedIdentity;
  readonly keyVault: KeyVault;
  readonly signingKey: KeyVaultKey;
  readonly secrets: Record<string, KeyVaultSecret>;
  /** Data-plane grants each app needs before it starts. */
  readonly grants: { readonly gateway: RoleAssignment[]; readonly agent: RoleAssignment[] } = { gateway: [], agent: [] };

  constructor(scope: Construct, id: string, props: IdentitySecretsProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    const expiryDays = props.expiryDays ?? 365;
    // Expiry is set at creation and then left alone: rotation (automatic for the key, by the
    // operator for secrets) moves it, and re-planning must not.
    const expiry = Fn.timeadd(Fn.timestamp(), `${expiryDays * 24}h`);

    this.gatewayIdentity = new UserAssignedIdentity(this, "gateway-identity", { ...common, name: `id-${props.prefix}-gateway` });
    this.agentIdentity = new UserAssignedIdentity(this, "agent-identity", { ...common, name: `id-${props.prefix}-agent` });

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
    const endpoint = privateEndpointFor(this, "key-vault-endpoint", {
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

    // The deploying principal manages keys and secrets (data plane), nothing more.
    const deployerRoles: RoleAssignment[] = ["Key Vault Crypto Officer", "Key Vault Secrets Officer"].map((role) =>
      grantRole(this, `deployer-${role.toLowerCase().replace(/ /g, "-")}`, {
        role,
        scope: this.keyVault.id,
        principalId: props.deployerObjectId,
        principalType: "any",
        description: "Gatehouse deployment manages the signing key and secret metadata",
      }),
    );
    const dataPlaneReady = [endpoint, waitForRbac(this, "deployer-rbac-propagation", deployerRoles)];

    this.signingKey = new KeyVaultKey(this, "signing-key", {
      name: SIGNING_KEY_NAME,
      keyVaultId: this.keyVault.id,
      keyType: "EC",
      curve: "P-256",
      keyOpts: ["sign", "verify"],
      expirationDate: expiry,
      // No automatic rotation: the agent trusts exactly this public key (GATEHOUSE_GATEWAY_PUBLIC_JWK),
      // so rotation is `az keyvault key rotate` followed by a deploy (docs/deploy.md).
      rotationPolicy: { expireAfter: `P${expiryDays}D`, notifyBeforeExpiry: "P30D" },
      lifecycle: { ignoreChanges: ["expiration_date"] },
      dependsOn: dataPlaneReady,
    });
    this.grants.gateway.push(grantRole(this, "gateway-signs", {
      role: "Key Vault Crypto User",
      scope: this.signingKey.resourceVersionlessId,
      principalId: this.gatewayIdentity.principalId,
      description: "Only the gateway signs gateway-issued tokens",
    }));
    this.secrets = {};
    for (const spec of props.secrets) {
      const secret = new KeyVaultSecret(this, `secret-${spec.name}`, {
        name: spec.name,
        keyVaultId: this.keyVault.id,
        value: spec.value === "generated" ? GENERATED_KEY : (spec.value ?? SECRET_PLACEHOLDER),
        contentType: spec.contentType,
        expirationDate: expiry,
        // Placeholders are replaced by the operator and generated keys are made once: never reset them.
        lifecycle: { ignoreChanges: spec.value === undefined || spec.value === "generated" ? ["value", "expiration_date"] : ["expiration_date"] },
        dependsOn: dataPlaneReady,
      });
      this.secrets[spec.name] = secret;
      const readers = spec.readers === "both" ? (["gateway", "agent"] as const) : [spec.readers];
      for (const reader of readers) {
        this.grants[reader].push(grantRole(this, `${reader}-reads-${spec.name}`, {
          role: "Key Vault Secrets User",
          scope: secret.resourceVersionlessId,
          principalId: (reader === "gateway" ? this.gatewayIdentity : this.agentIdentity).principalId,
          description: `Only the ${reader} reads ${spec.name}`,
        }));
      }
    }
  }
}
