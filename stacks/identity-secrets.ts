/**
 * Identity and secrets: user-assigned identities for the gateway and the agent; a Key Vault in RBAC
 * mode that is reachable only through its private endpoint; the gateway's token-signing key, usable
 * to sign only by the gateway (the agent gets only its public JWK); and secrets, each readable only by the identity that needs it.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { KeyVaultKey } from "@cdktf/provider-azurerm/lib/key-vault-key";
import { Offset } from "@cdktf/provider-time/lib/offset";
import type { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity";
import type { Network } from "./network";
import { privateEndpointFor } from "./private-endpoint";
import { diagnosticsToWorkspace } from "./diagnostics";
import { grantRole } from "./role-grant";
import { addSuppressions } from "./compliance/suppressions";
import { waitForRbac } from "./rbac-propagation";
import { ArmKeyVaultSecret } from "./arm-key-vault-secret";

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
  /** The deploying principal, which creates the signing key through the data plane (secrets go through ARM). */
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
  readonly secrets: Record<string, ArmKeyVaultSecret>;
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

    // The signing key is still created through the data plane: ARM can create a key
    // (create-if-not-exist) but never returns its public half, which the agent's trusted key is
    // built from today (docs/decisions/0004-first-deploy-without-data-plane.md, what remains).
    const keyCreator = grantRole(this, "deployer-key-vault-crypto-officer", {
      role: "Key Vault Crypto Officer",
      scope: this.keyVault.id,
      principalId: props.deployerObjectId,
      principalType: "any",
      description: "Gatehouse deployment creates the gateway signing key (data plane)",
    });
    addSuppressions(keyCreator, [
      {
        id: "GH_IAM_3",
        reason: "the signing key's public half feeds the agent's trusted key, and only the data plane returns it; removed once the agent reads its trusted keys from Key Vault (docs/decisions/0004-first-deploy-without-data-plane.md)",
      },
    ]);
    const dataPlaneReady = [endpoint, waitForRbac(this, "deployer-rbac-propagation", [keyCreator])];
    // Secret expiry, fixed at creation (a time_offset keeps its base time in state).
    const secretExpiry = new Offset(this, "secret-expiry", { offsetDays: expiryDays });

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
      const managed = spec.value !== undefined && spec.value !== "generated";
      const secret = new ArmKeyVaultSecret(this, `secret-${spec.name}`, {
        keyVault: this.keyVault,
        name: spec.name,
        value: spec.value === "generated" ? GENERATED_KEY : (spec.value ?? SECRET_PLACEHOLDER),
        contentType: spec.contentType,
        expiresUnix: secretExpiry.unix,
        // Placeholders are replaced by the operator and generated keys are made once: never reset
        // them; a Terraform-managed value (a connection string) is re-sent when it changes.
        valueVersion: managed ? Fn.sha256(spec.value as string) : undefined,
      });
      this.secrets[spec.name] = secret;
      const readers = spec.readers === "both" ? (["gateway", "agent"] as const) : [spec.readers];
      for (const reader of readers) {
        this.grants[reader].push(grantRole(this, `${reader}-reads-${spec.name}`, {
          role: "Key Vault Secrets User",
          scope: secret.resourceId,
          principalId: (reader === "gateway" ? this.gatewayIdentity : this.agentIdentity).principalId,
          description: `Only the ${reader} reads ${spec.name}`,
        }));
      }
    }
  }
}
