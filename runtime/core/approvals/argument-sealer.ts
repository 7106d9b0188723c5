/**
 * Seals the arguments of a held call into its approval record (AES-256-GCM, the approval id as
 * authenticated data), so the replica that takes an edit can compose the edited call and the
 * replica holding the call can run it, without an unmasked copy at rest (issue 20, item 1). The
 * key is derived (HKDF) from the gateway's session key material, which every replica shares.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const PREFIX = "ga1";

export class ArgumentSealer {
  private constructor(private readonly key: Buffer) {}

  /** From GATEHOUSE_SESSION_KEY or the signing key file's bytes (any length; HKDF-SHA256). */
  static fromSecret(secret: Buffer): ArgumentSealer {
    return new ArgumentSealer(Buffer.from(hkdfSync("sha256", secret, "gatehouse", "approval-arguments-v1", 32)));
  }

  /** A per-process key: edits then work only when one replica takes and runs them. */
  static ephemeral(): ArgumentSealer {
    return new ArgumentSealer(randomBytes(32));
  }

  /** The arguments of approval `approvalId`, sealed (base64url, visible ASCII). */
  seal(approvalId: string, args: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(`${PREFIX}:${approvalId}`, "utf8"));
    const ct = Buffer.concat([cipher.update(JSON.stringify(args ?? {}), "utf8"), cipher.final()]);
    return `${PREFIX}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url")}`;
  }

  /** The arguments sealed for this approval; null when the token is not one, was altered or moved. */
  open(approvalId: string, token: string): { value: unknown } | null {
    if (!token.startsWith(`${PREFIX}.`)) return null;
    try {
      const raw = Buffer.from(token.slice(PREFIX.length + 1), "base64url");
      const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(`${PREFIX}:${approvalId}`, "utf8"));
      decipher.setAuthTag(raw.subarray(12, 28));
      const pt = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
      return { value: JSON.parse(pt.toString("utf8")) as unknown };
    } catch {
      // A wrong key, a moved or altered token: the caller refuses with ERR_EDIT_UNAVAILABLE.
      return null;
    }
  }
}
