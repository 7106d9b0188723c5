/**
 * The approval-notification variables, part of the gateway's environment schema (gateway-config.ts)
 * so a bad one is reported at start together with every other bad variable (issue 14, item 6).
 * Both channels are optional: GATEHOUSE_TEAMS_WEBHOOK_URL; GATEHOUSE_APPROVAL_WEBHOOK_URL with
 * GATEHOUSE_APPROVAL_WEBHOOK_SECRET (the HMAC key of the signature header).
 */
import { z } from "zod";

export const NotifierEnvShape = {
  /** Incoming webhook of a Teams channel: an adaptive card per approval request. */
  GATEHOUSE_TEAMS_WEBHOOK_URL: z.string().url().optional(),
  /** A generic webhook: signed JSON per approval event. Requires GATEHOUSE_APPROVAL_WEBHOOK_SECRET. */
  GATEHOUSE_APPROVAL_WEBHOOK_URL: z.string().url().optional(),
  /** HMAC-SHA256 key of the generic webhook's signature; 16 characters or more. Never logged. */
  GATEHOUSE_APPROVAL_WEBHOOK_SECRET: z.string().min(16).optional(),
};

export type NotifierEnv = z.infer<z.ZodObject<typeof NotifierEnvShape>>;

/** Rules between the variables, added to the schema's other issues (so all are reported at once). */
export function refineNotifierEnv(e: NotifierEnv, ctx: z.RefinementCtx): void {
  if (e.GATEHOUSE_APPROVAL_WEBHOOK_URL && !e.GATEHOUSE_APPROVAL_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["GATEHOUSE_APPROVAL_WEBHOOK_SECRET"],
      message: "required with GATEHOUSE_APPROVAL_WEBHOOK_URL",
    });
  }
}
