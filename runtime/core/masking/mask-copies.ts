import type { CopiesContext, Masker, MessageCopies } from "./masker";

/**
 * The client and audit copies of a message: in one walk when the masker can (createMasker's
 * can), else two maskMessage calls, client first (a stand-in Masker, a delegating one).
 */
export function maskCopies(masker: Masker, message: unknown, ctx: CopiesContext): MessageCopies {
  if (masker.maskMessageCopies) return masker.maskMessageCopies(message, ctx);
  const client = masker.maskMessage(message, { ...ctx, copy: "client" });
  return { client, audit: masker.maskMessage(message, { ...ctx, copy: "audit" }) };
}
