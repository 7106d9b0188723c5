/**
 * A Key Vault secret created through ARM (`Microsoft.KeyVault/vaults/secrets`), not the vault's data
 * plane: ARM is not subject to the vault's network rules or data-plane RBAC, so a deploy from
 * outside the VNet can create secrets in a vault with public access off, and the deployer needs no
 * Key Vault data role (management-plane write, e.g. Contributor). ARM never returns the value, and
 * the value travels in azapi's `sensitive_body` (not shown in plans). Reference: Microsoft.KeyVault
 * vaults/secrets template reference; docs/decisions/0004-first-deploy-without-data-plane.md.
 */
import { Construct } from "constructs";
import type { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault";
import { AzapiResource } from "./azapi";

export const KEY_VAULT_SECRET_TYPE = "Microsoft.KeyVault/vaults/secrets@2023-07-01";

export interface ArmKeyVaultSecretProps {
  readonly keyVault: KeyVault;
  readonly name: string;
  readonly value: string;
  readonly contentType: string;
  /** Expiry, seconds since the epoch (fixed at creation: a time_offset). */
  readonly expiresUnix: number;
  /**
   * Send the value again when this changes (a Terraform-managed value). @default - the value is
   * sent once, at creation: an operator's or a generated value is never reset
   */
  readonly valueVersion?: string;
}

export class ArmKeyVaultSecret extends Construct {
  readonly name: string;
  /** ARM id: the scope of per-secret role assignments. */
  readonly resourceId: string;
  /** https://<vault>/secrets/<name>: what Container Apps Key Vault references use (latest version). */
  readonly versionlessId: string;

  constructor(scope: Construct, id: string, props: ArmKeyVaultSecretProps) {
    super(scope, id);
    const resource = new AzapiResource(this, "secret", {
      type: KEY_VAULT_SECRET_TYPE,
      name: props.name,
      parentId: props.keyVault.id,
      body: { properties: { contentType: props.contentType, attributes: { enabled: true, exp: props.expiresUnix } } },
      sensitiveBody: { properties: { value: props.value } },
      sensitiveBodyVersion: props.valueVersion === undefined ? undefined : { "properties.value": props.valueVersion },
      // Attributes are fixed at creation too: rotation moves the expiry, re-planning must not.
      lifecycle: props.valueVersion === undefined ? { ignoreChanges: ["body"] } : undefined,
    });
    this.name = props.name;
    this.resourceId = resource.id;
    this.versionlessId = `${props.keyVault.vaultUri}secrets/${props.name}`;
  }
}
