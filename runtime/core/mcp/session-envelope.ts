/**
 * The Mcp-Session-Id a client sees: an AES-256-GCM envelope around the upstream session id, bound
 * to the identity and server. Any gateway replica with the key opens it (no session table), and
 * another identity presenting it is refused: the authenticated data cannot be forged or moved.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { z } from "zod";
import { GatehouseError } from "../errors";

export const SessionEnvelopeSchema = z.object({
  /** The upstream (agent-side) session id. */
  u: z.string().min(1),
  /** Entra object id of the identity that created it. */
  oid: z.string().min(1),
  /** The server (`/mcp/<server>`). */
  s: z.string().min(1),
  /** The agent serving it (affinity for stdio sessions). */
  a: z.string().min(1),
  /** JIT grant id when created through a JIT token: the session ends with the grant. */
  g: z.string().nullable(),
  /**
   * The client declared the `elicitation` capability at initialize: the gateway may ask it itself
   * (a requester's reason or confirmation). Absent in envelopes sealed before it existed: false.
   */
  e: z.boolean().optional(),
  iat: z.number().int(),
});
export type SessionEnvelope = z.infer<typeof SessionEnvelopeSchema>;

const VERSION = "g1";

export class SessionSealer {
  private constructor(private readonly key: Buffer) {}

  /** From GATEHOUSE_SESSION_KEY (32 bytes) or any secret material through HKDF. */
  static fromSecret(secret: Buffer): SessionSealer {
    const key =
      secret.length === 32
        ? secret
        : Buffer.from(hkdfSync("sha256", secret, "gatehouse", "mcp-session-envelope-v1", 32));
    return new SessionSealer(key);
  }

  /** A per-process key: correct for one replica only (sessions do not survive a restart). */
  static ephemeral(): SessionSealer {
    return new SessionSealer(randomBytes(32));
  }

  seal(env: Omit<SessionEnvelope, "iat">): string {
    const body: SessionEnvelope = { ...env, iat: Math.floor(Date.now() / 1000) };
    return this.sealJson(VERSION, body);
  }

  /**
   * Seals any JSON value under a version prefix, which is also the authenticated data: a value
   * sealed for one purpose (a relayed request id) never opens as another (a session).
   */
  sealJson(prefix: string, value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    // Session envelopes predate the prefix-as-AAD rule: unchanged, so live sessions survive an upgrade.
    if (prefix !== VERSION) cipher.setAAD(Buffer.from(prefix, "utf8"));
    const ct = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    // Visible ASCII only (the spec's requirement for session ids): base64url.
    return `${prefix}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString("base64url")}`;
  }

  /** The value sealed by sealJson with this prefix; null when the token is not one (or was altered). */
  openJson(prefix: string, token: string): unknown {
    if (!token.startsWith(`${prefix}.`) || token.length > 4096) return null;
    try {
      const raw = Buffer.from(token.slice(prefix.length + 1), "base64url");
      const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
      if (prefix !== VERSION) decipher.setAAD(Buffer.from(prefix, "utf8"));
      decipher.setAuthTag(raw.subarray(12, 28));
      const pt = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
      return JSON.parse(pt.toString("utf8"));
    } catch {
      return null;
    }
  }

  /** Opens an envelope and checks it belongs to this identity and server; ERR_SESSION_INVALID otherwise. */
  open(token: string, expect: { oid: string; server: string }): SessionEnvelope {
    const env = this.tryOpen(token);
    // The same answer for "not ours" and "not yours": a stolen id reveals nothing.
    if (!env || env.oid !== expect.oid || env.s !== expect.server) {
      throw new GatehouseError(
        "ERR_SESSION_INVALID",
        "Session not found: the Mcp-Session-Id is unknown, expired, or belongs to another identity or server",
      );
    }
    return env;
  }

  private tryOpen(token: string): SessionEnvelope | null {
    const parsed = SessionEnvelopeSchema.safeParse(this.openJson(VERSION, token));
    return parsed.success ? parsed.data : null;
  }
}

/** What the audit trail records instead of a session id (a bearer secret). */
export function sessionDigest(sessionId: string | undefined | null): string | null {
  return sessionId ? createHash("sha256").update(sessionId).digest("hex").slice(0, 32) : null;
}
