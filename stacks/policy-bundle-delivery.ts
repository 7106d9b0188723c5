/**
 * Policy bundle delivery (docs/decisions/0002-policy-bundle-delivery.md): the sealed bundle is a
 * blob in a private `config` container of the audit storage account. The gateway and agent read it
 * at start and re-read it when its ETag changes, so a policy change needs no new revision; each
 * audit record carries the bundle version. Only these two identities may read it.
 */
import { Construct } from "constructs";
import { StorageBlob } from "@cdktf/provider-azurerm/lib/storage-blob";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container";
import type { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import type { ITerraformDependable } from "cdktf";
import type { PolicyBundle } from "../policies/schema";
import type { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { grantRole } from "./role-grant";
import { waitForRbac } from "./rbac-propagation";
import { addSuppressions } from "./compliance/suppressions";
import { terraformLiteral } from "./terraform-literal";

export const CONFIG_CONTAINER = "config";
export const POLICY_BLOB = "policy-bundle.json";

export interface PolicyBundleDeliveryProps {
  readonly storage: StorageAccount;
  readonly bundle: PolicyBundle;
  /** Principal ids (managed identities) that read the bundle. */
  readonly readers: Record<string, string>;
  /** The deploying principal, which writes the blob. */
  readonly deployerObjectId: string;
  /** What the data-plane write must wait for (the blob private endpoint). */
  readonly dataPlaneReady: ITerraformDependable[];
}

export class PolicyBundleDelivery extends Construct {
  readonly container: StorageContainer;
  readonly blob: StorageBlob;
  /** URL the runtime reads (GATEHOUSE_POLICY_BLOB_URL). */
  readonly blobUrl: string;
  /** Reader grants by reader name (apps start only after theirs exists). */
  readonly readerGrants: Record<string, RoleAssignment> = {};

  constructor(scope: Construct, id: string, props: PolicyBundleDeliveryProps) {
    super(scope, id);
    // Not immutable: the bundle is replaced on every policy change (history lives in git and in
    // the version stamped on each audit record).
    this.container = new StorageContainer(this, "config-container", {
      name: CONFIG_CONTAINER,
      storageAccountId: props.storage.id,
      containerAccessType: "private",
    });
    const writer = grantRole(this, "deployer-writes-bundle", {
      role: "Storage Blob Data Contributor",
      scope: this.container.resourceManagerId,
      principalId: props.deployerObjectId,
      principalType: "any",
      description: "Gatehouse deployment publishes the policy bundle",
    });
    addSuppressions(writer, [
      {
        id: "GH_IAM_3",
        reason: "blob contents have no management-plane API; scoped to the config container (never the audit container), and removed once the bundle is published from inside the VNet (docs/decisions/0004-first-deploy-without-data-plane.md)",
      },
    ]);
    for (const [name, principalId] of Object.entries(props.readers)) {
      this.readerGrants[name] = grantRole(this, `${name}-reads-bundle`, {
        role: "Storage Blob Data Reader",
        scope: this.container.resourceManagerId,
        principalId,
        description: `The ${name} loads the policy bundle`,
      });
    }
    this.blob = new StorageBlob(this, "policy-bundle", {
      name: POLICY_BLOB,
      storageAccountName: props.storage.name,
      storageContainerName: this.container.name,
      type: "Block",
      contentType: "application/json",
      sourceContent: terraformLiteral(JSON.stringify(props.bundle, null, 2)),
      metadata: { version: props.bundle.version },
      dependsOn: [waitForRbac(this, "deployer-rbac-propagation", [writer]), ...props.dataPlaneReady],
    });
    this.blobUrl = `${props.storage.primaryBlobEndpoint}${CONFIG_CONTAINER}/${POLICY_BLOB}`;
  }
}
