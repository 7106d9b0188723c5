import { z } from "zod";

/** The identity a request is decided on: from an identity provider's token or a gateway-issued JIT token. */
export const IdentitySchema = z.object({
  /** The caller's stable id: Entra's `oid`, or the claim the provider's configuration names (`sub` by default). */
  oid: z.string().min(1),
  /** Entra's `tid`; for providers without tenants, the token's issuer. */
  tenantId: z.string().min(1),
  username: z.string().nullable(),
  roles: z.array(z.string()),
  groups: z.array(z.string()),
  /**
   * Entra omitted the groups claim because of overage (`_claim_names`). Groups are then unknown,
   * never "none": policy relies on app roles.
   */
  groupsOverage: z.boolean(),
  /** `entra`: the Entra profile; `oidc`: any other OIDC provider; `jit`: a gateway-issued JIT token. */
  via: z.enum(["entra", "oidc", "jit"]),
  /** A person, or a machine (client-credentials token, no user): apps match only `principals.apps`. @default "user" */
  kind: z.enum(["user", "app"]).optional(),
  /** For `app`: its client id (what `principals.apps` lists). */
  appId: z.string().min(1).nullable().optional(),
  /** The configured identity provider that verified the token (GATEHOUSE_OIDC_ISSUERS `name`). */
  provider: z.string().nullable().optional(),
  /** For `jit`: the grant id and the one server it is scoped to, and the access rule that granted it. */
  jit: z.object({ grantId: z.string(), server: z.string(), ruleId: z.string(), expiresAt: z.string() }).nullable(),
});
export type Identity = z.infer<typeof IdentitySchema>;

/** Whether the identity is a machine (client-credentials) caller. */
export const isApp = (id: Pick<Identity, "kind">): boolean => id.kind === "app";

/** The audit actor's machine fields: present for apps only (records of people are unchanged). */
export function appActor(id: Pick<Identity, "kind" | "appId">): { kind?: "app"; appId?: string } {
  return id.kind === "app" && id.appId ? { kind: "app", appId: id.appId } : {};
}
