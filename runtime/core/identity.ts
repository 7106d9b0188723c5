import { z } from "zod";

/** The identity a request is decided on: from an Entra token or a gateway-issued JIT token. */
export const IdentitySchema = z.object({
  oid: z.string().min(1),
  tenantId: z.string().min(1),
  username: z.string().nullable(),
  roles: z.array(z.string()),
  groups: z.array(z.string()),
  /**
   * Entra omitted the groups claim because of overage (`_claim_names`). Groups are then unknown,
   * never "none": policy relies on app roles.
   */
  groupsOverage: z.boolean(),
  via: z.enum(["entra", "jit"]),
  /** For `jit`: the grant id and the one server it is scoped to, and the access rule that granted it. */
  jit: z.object({ grantId: z.string(), server: z.string(), ruleId: z.string(), expiresAt: z.string() }).nullable(),
});
export type Identity = z.infer<typeof IdentitySchema>;
