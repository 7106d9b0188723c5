/**
 * A Key Vault key created through ARM (`Microsoft.KeyVault/vaults/keys`), not the vault's data
 * plane: like secrets (arm-key-vault-secret.ts), a deploy from outside the VNet can create it in a
 * vault with public access off, and the deployer needs no Key Vault data role. ARM's PUT is
 * "create if not exist": it makes the first version, never a new one, never updates an existing
 * key (Keys - Create If Not Exist, Microsoft.KeyVault REST 2023-07-01), so the body is ignored
 * after creation; rotation is the key's rotation policy (or `az keyvault key rotate`). The
 * template reference (learn.microsoft.com/azure/templates/microsoft.keyvault/2023-07-01/vaults/keys)
 * lists what it takes: kty, curveName, keyOps, attributes (enabled, exp, nbf, exportable) and
 * rotationPolicy (attributes.expiryTime, lifetimeActions of type rotate|notify triggered by
 * timeAfterCreate or timeBeforeExpiry). ARM never returns the public key: whoever needs it reads
 * it from the data plane with keys/read (the agent: docs/decisions/0004-first-deploy-without-data-plane.md).
 */
import { Construct } from "constructs";
import type { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { AzapiResource } from "./azapi";

export const KEY_VAULT_KEY_TYPE = "Microsoft.KeyVault/vaults/keys@2023-07-01";

export interface ArmKeyVaultKeyProps {
  readonly keyVault: KeyVault;
  readonly name: string;
  /** Expiry of the first version, seconds since the epoch (fixed at creation: a time_offset). */
  readonly expiresUnix: number;
  /** Lifetime of each version the rotation policy creates, in days. */
  readonly lifetimeDays: number;
  /**
   * Days before a version expires that the policy rotates it (Key Vault: at least 7).
   * @default 30, or a third of the lifetime when that is shorter
   */
  readonly rotateDaysBeforeExpiry?: number;
}

export class ArmKeyVaultKey extends Construct {
  readonly name: string;
  /** ARM id: the scope of per-key role assignments. */
  readonly resourceId: string;
  /** https://<vault>/keys/<name>: the versionless key id the runtime reads (latest / every version). */
  readonly versionlessId: string;

  constructor(scope: Construct, id: string, props: ArmKeyVaultKeyProps) {
    super(scope, id);
    const rotateBefore = props.rotateDaysBeforeExpiry ?? Math.min(30, Math.floor(props.lifetimeDays / 3));
    if (rotateBefore < 7 || rotateBefore >= props.lifetimeDays) {
      throw new Error(
        `${this.node.path}: rotateDaysBeforeExpiry must be at least 7 and less than lifetimeDays (${props.lifetimeDays}), received ${rotateBefore}`,
      );
    }
    const resource = new AzapiResource(this, "key", {
      type: KEY_VAULT_KEY_TYPE,
      name: props.name,
      parentId: props.keyVault.id,
      body: {
        properties: {
          kty: "EC",
          curveName: "P-256",
          keyOps: ["sign", "verify"],
          attributes: { enabled: true, exp: props.expiresUnix, exportable: false },
          rotationPolicy: {
            attributes: { expiryTime: `P${props.lifetimeDays}D` },
            lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeBeforeExpiry: `P${rotateBefore}D` } }],
          },
        },
      },
      // Create-if-not-exist: ARM ignores a changed body, so Terraform must not plan one either.
      lifecycle: { ignoreChanges: ["body"] },
    });
    this.name = props.name;
    this.resourceId = resource.id;
    this.versionlessId = `${props.keyVault.vaultUri}keys/${props.name}`;
  }
}
