/**
 * Keys generated once per deployment and written into every region's Key Vault: the gateway's
 * session key (MCP session envelopes, client-answer ids, sealed arguments of editable approvals)
 * and the `hash` masking style's HMAC key. One value for all regions, so a session Front Door moves
 * to another region still opens there, an edit taken on one region's page opens a call held in
 * another, and `hash` fingerprints are the same everywhere (docs/decisions/0007, addendum).
 *
 * Each key is a `terraform_data` (Terraform's built-in resource: no provider to download) whose
 * `input` is the random expression below and whose `lifecycle.ignore_changes` names `input`.
 * terraform_data's `output` is "computed from the input value" and identical to it after apply
 * (https://developer.hashicorp.com/terraform/language/resources/terraform-data); `ignore_changes`
 * makes Terraform keep the prior state's value of an argument when planning an update
 * (https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle). uuid() is new on
 * every plan, so without it every plan would update the output (measured with Terraform 1.11: an
 * in-place update on each plan); with it the output is fixed at creation. Nothing reads the value
 * but the vault secrets (never an output, never logged); it is in state, which is encrypted.
 *
 * An existing deployment keeps the values its vaults were sent at their creation (a generated
 * secret is sent once: arm-key-vault-secret.ts); the terraform_data created on its next apply
 * holds a new value, which only a region added afterwards receives. For such deployments the
 * copy step of docs/deploy.md ("Regions") stays necessary.
 */
import { Construct } from "constructs";
import { DataResource, Fn, Token } from "cdktf";

/** sha256 of two random UUIDs: 32 bytes, base64 (no random provider needed). */
export const GENERATED_KEY = Fn.base64sha256(Fn.join("", [Fn.uuid(), Fn.uuid()]));

export class DeploymentKeys extends Construct {
  private readonly keys = new Map<string, DataResource>();

  /** The deployment's value of the generated secret `name`, created on first use (the first region). */
  keyFor(name: string): string {
    let key = this.keys.get(name);
    if (!key) {
      key = new DataResource(this, name, {
        // sensitive(): the plan shows the input as (sensitive value).
        input: { value: Fn.sensitive(GENERATED_KEY) },
        lifecycle: { ignoreChanges: ["input"] },
      });
      this.keys.set(name, key);
    }
    return Token.asString(key.output.lookup("value"));
  }
}
