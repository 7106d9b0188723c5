/**
 * Optional (GATEHOUSE_CREATE_APP_REGISTRATION=true, off by default): the gateway's Entra app
 * registration, for deployers who hold the directory rights (Application Administrator or
 * Application.ReadWrite.OwnedBy, and the right to set "assignment required"). It is the API MCP
 * clients get tokens for (identifier URI = the audience, v2 tokens), carries the three app roles
 * the policies name, and is the confidential client the approval page signs in with: a Web
 * redirect URI `<public URL>/approvals/callback` and a client secret, which goes to Key Vault
 * through ARM and reaches the gateway only as a Key Vault reference. Assignment is required, so
 * only people and agents given a role get a token at all.
 */
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { Application } from "@cdktf/provider-azuread/lib/application";
// jsii renames the class: the resource is azuread_application_password.
import { ApplicationPasswordA as ApplicationPassword } from "@cdktf/provider-azuread/lib/application-password";
import { ServicePrincipal } from "@cdktf/provider-azuread/lib/service-principal";

/** The roles the policies and the gateway know (docs/policies.md), and who may hold them. */
export const APP_ROLES = [
  {
    value: "Engineer",
    description: "Uses MCP servers through the gateway, as the policies allow",
    members: ["User", "Application"],
  },
  { value: "Approver", description: "Approves or rejects gated tool calls on the approval page", members: ["User"] },
  { value: "Auditor", description: "Reads evidence reports; reaches no MCP server", members: ["User"] },
] as const;

/** A stable GUID per role (Entra needs one; it must not change between plans). */
function roleId(seed: string, role: string): string {
  const h = createHash("sha256").update(`${seed}/${role}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface AppRegistrationProps {
  readonly displayName: string;
  /** Application ID URI, e.g. api://gatehouse: the `aud` of MCP clients' tokens. */
  readonly audience: string;
  /** The gateway's public URL (no trailing slash). */
  readonly publicUrl: string;
  /** Client secret lifetime, RFC 3339 end date. */
  readonly secretEndDate: string;
}

export class AppRegistration extends Construct {
  readonly application: Application;
  readonly servicePrincipal: ServicePrincipal;
  /** The approval page's client secret (goes to Key Vault, never to app settings). */
  readonly password: ApplicationPassword;

  constructor(scope: Construct, id: string, props: AppRegistrationProps) {
    super(scope, id);
    if (!props.audience.startsWith("api://")) {
      throw new Error(
        `${this.node.path}: creating the app registration needs GATEHOUSE_AUDIENCE as an Application ID URI (api://...), received "${props.audience}"`,
      );
    }
    this.application = new Application(this, "application", {
      displayName: props.displayName,
      signInAudience: "AzureADMyOrg",
      identifierUris: [props.audience],
      api: { requestedAccessTokenVersion: 2 },
      appRole: APP_ROLES.map((r) => ({
        id: roleId(props.audience, r.value),
        value: r.value,
        displayName: r.value,
        description: r.description,
        allowedMemberTypes: [...r.members],
        enabled: true,
      })),
      web: { redirectUris: [`${props.publicUrl}/approvals/callback`] },
    });
    this.servicePrincipal = new ServicePrincipal(this, "service-principal", {
      clientId: this.application.clientId,
      appRoleAssignmentRequired: true,
    });
    this.password = new ApplicationPassword(this, "approvals-client-secret", {
      applicationId: this.application.id,
      displayName: "Gatehouse approval page (Key Vault: approvals-client-secret)",
      endDate: props.secretEndDate,
    });
  }
}
