/**
 * Policy bundle delivery (docs/decisions/0002-policy-bundle-delivery.md, as amended by
 * docs/decisions/0004-first-deploy-without-data-plane.md): the sealed bundle is a Key Vault secret
 * created through ARM (Microsoft.KeyVault/vaults/secrets), so the deploy writes it without a
 * data-plane write and without a data-plane role, from any network. Each policy change sends the
 * value again, which makes a new secret version; the gateway and agent read the latest version at
 * start and poll it (GATEHOUSE_POLICY_SECRET_URL; the version id plays the ETag's part), so a
 * policy change needs no new revision. Only these two identities may read it.
 */
import { Construct } from "constructs";
import type { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import type { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { Offset } from "@cdktf/provider-time/lib/offset";
import type { PolicyBundle } from "../runtime/core/policy-model/schema";
import { ArmKeyVaultSecret } from "./arm-key-vault-secret";
import { grantRole } from "./role-grant";
import { terraformLiteral } from "./terraform-literal";

export const POLICY_BUNDLE_SECRET = "policy-bundle";
/**
 * Key Vault stores a secret value of at most 25 KB ("About Azure Key Vault secrets",
 * learn.microsoft.com/azure/key-vault/secrets/about-secrets). Counted as 25,000 bytes of UTF-8 to
 * stay clear of whether KB means 1,000 or 1,024. The declared bundle is ~3 KB compact (measured 2026-11-28).
 */
export const KEY_VAULT_SECRET_MAX_BYTES = 25_000;

export interface PolicyBundleDeliveryProps {
  readonly keyVault: KeyVault;
  readonly bundle: PolicyBundle;
  /** Principal ids (managed identities) that read the bundle, by name. */
  readonly readers: Record<string, string>;
  /** Days after each policy change that the secret version is marked expired (informational in Key Vault). @default 365 */
  readonly expiryDays?: number;
}

export class PolicyBundleDelivery extends Construct {
  readonly secret: ArmKeyVaultSecret;
  /** What the runtime reads (GATEHOUSE_POLICY_SECRET_URL): the latest version. */
  readonly secretUrl: string;
  /** Reader grants by reader name (apps start only after theirs exists). */
  readonly readerGrants: Record<string, RoleAssignment> = {};

  constructor(scope: Construct, id: string, props: PolicyBundleDeliveryProps) {
    super(scope, id);
    // Compact JSON: the runtime parses and re-checks the sealed version, whitespace is irrelevant.
    const text = JSON.stringify(props.bundle);
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > KEY_VAULT_SECRET_MAX_BYTES) {
      throw new Error(
        `${this.node.path}: the sealed policy bundle is ${bytes} bytes, above Key Vault's secret size limit (${KEY_VAULT_SECRET_MAX_BYTES} bytes); split servers across agents or shorten descriptions (docs/decisions/0004-first-deploy-without-data-plane.md)`,
      );
    }
    // Each policy version gets its own expiry, so a policy in force is never marked expired early.
    const expiry = new Offset(this, "expiry", {
      offsetDays: props.expiryDays ?? 365,
      triggers: { version: props.bundle.version },
    });
    this.secret = new ArmKeyVaultSecret(this, "secret", {
      keyVault: props.keyVault,
      name: POLICY_BUNDLE_SECRET,
      value: terraformLiteral(text),
      contentType: "application/json; gatehouse-policy-bundle",
      expiresUnix: expiry.unix,
      // A new bundle version is a new secret version (the runtime's change signal).
      valueVersion: props.bundle.version,
    });
    for (const [name, principalId] of Object.entries(props.readers)) {
      this.readerGrants[name] = grantRole(this, `${name}-reads-bundle`, {
        role: "Key Vault Secrets User",
        scope: this.secret.resourceId,
        principalId,
        description: `The ${name} loads the policy bundle`,
      });
    }
    this.secretUrl = this.secret.versionlessId;
  }
}
