/**
 * Signs the per-call gateway→agent tokens without a Key Vault operation per call. Key Vault
 * allows about 4,000 operations per 10 s per vault for a software EC P-256 key ("Azure Key Vault
 * service limits", learn.microsoft.com/azure/key-vault/general/service-limits), shared by every
 * replica, and each remote signature adds a network round trip to every MCP message. So each
 * replica keeps an EC P-256 key in memory (never exported, never persisted) and has the Signer
 * certify it once per KEY_CERTIFICATE_SECONDS: one Signer operation per replica per period.
 *
 * The certificate is renewed in the background when a quarter of its life is left; a renewal
 * that fails is logged and counted, and retried on the next call; only when the certificate can
 * no longer outlive a token does signing fail (closed: the call is refused, not sent unsigned).
 */
import { randomUUID } from "node:crypto";
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type KeyLike } from "jose";
import { GatehouseError } from "../errors";
import {
  AGENT_AUDIENCE,
  AGENT_TOKEN_SECONDS,
  AGENT_TOKEN_TYP,
  CERTIFICATE_HEADER,
  GATEWAY_ISSUER,
  KEY_CERTIFICATE_SECONDS,
  KEY_CERTIFICATE_TYP,
  type AgentTokenRequest,
} from "../mcp/agent-token";
import { logger } from "../telemetry/logger";
import { gatehouseMetrics } from "../telemetry/metrics";
import type { Signer } from "./signer";

interface CertifiedKey {
  readonly privateKey: KeyLike;
  readonly kid: string;
  readonly certificate: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

export interface AgentTokenSignerOptions {
  /** @default KEY_CERTIFICATE_SECONDS (3600) */
  readonly certificateSeconds?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

const bySigner = new WeakMap<Signer, AgentTokenSigner>();

export class AgentTokenSigner {
  private current: CertifiedKey | null = null;
  private renewal: Promise<CertifiedKey> | null = null;
  private readonly certificateSeconds: number;
  private readonly now: () => number;

  constructor(
    private readonly root: Signer,
    opts: AgentTokenSignerOptions = {},
  ) {
    this.certificateSeconds = opts.certificateSeconds ?? KEY_CERTIFICATE_SECONDS;
    if (this.certificateSeconds < AGENT_TOKEN_SECONDS * 4)
      throw new TypeError(`certificateSeconds must be at least ${AGENT_TOKEN_SECONDS * 4}`);
    this.now = opts.now ?? Date.now;
  }

  /** The one agent-token signer of a Signer (so every caller shares its certified key). */
  static for(root: Signer): AgentTokenSigner {
    let s = bySigner.get(root);
    if (!s) bySigner.set(root, (s = new AgentTokenSigner(root)));
    return s;
  }

  /**
   * Certifies a key now (the process start): a Signer that cannot sign — Key Vault unreachable,
   * the sign permission missing — fails the start instead of every call after it.
   */
  async prepare(): Promise<void> {
    await this.usableKey();
  }

  /** A token for one request. `lifetimeSeconds` exists for tests of the agent's limits. */
  async sign(claims: AgentTokenRequest, lifetimeSeconds: number = AGENT_TOKEN_SECONDS): Promise<string> {
    const key = await this.usableKey();
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({ ...claims, jti: claims.jti || randomUUID() })
      .setProtectedHeader({ alg: "ES256", typ: AGENT_TOKEN_TYP, kid: key.kid, [CERTIFICATE_HEADER]: key.certificate })
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetimeSeconds)
      .sign(key.privateKey);
  }

  /** A key whose certificate outlives a token signed now; renews ahead of time, at most one renewal at once. */
  private async usableKey(): Promise<CertifiedKey> {
    const nowS = this.now() / 1000;
    const k = this.current;
    if (k && k.expiresAt - nowS > this.certificateSeconds / 4) return k;
    const renewal = (this.renewal ??= this.certify().finally(() => (this.renewal = null)));
    if (k && k.expiresAt - nowS > AGENT_TOKEN_SECONDS + 5) {
      // Still good for a while: sign with it now, let the renewal finish in the background.
      renewal.catch((e: unknown) => this.renewalFailed(e));
      return k;
    }
    try {
      return await renewal;
    } catch (e) {
      this.renewalFailed(e);
      throw new GatehouseError(
        "ERR_INTERNAL",
        "the gateway cannot sign agent tokens: its key certificate could not be renewed",
        {},
        { cause: e },
      );
    }
  }

  private async certify(): Promise<CertifiedKey> {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: false });
    const { kty, crv, x, y } = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint({ kty: kty!, crv: crv!, x: x!, y: y! });
    const iat = Math.floor(this.now() / 1000);
    const certificate = await this.root.signJwt(
      { iss: GATEWAY_ISSUER, aud: AGENT_AUDIENCE, iat, cnf: { jwk: { kty: kty!, crv: crv!, x: x!, y: y!, kid } } },
      { expiresInSeconds: this.certificateSeconds, typ: KEY_CERTIFICATE_TYP },
    );
    const key = { privateKey, kid, certificate, expiresAt: iat + this.certificateSeconds };
    this.current = key;
    logger.info("agent-token key certified", {
      event: "signing.key_certified",
      kid,
      rootKid: this.root.kid,
      expiresAt: new Date(key.expiresAt * 1000).toISOString(),
    });
    return key;
  }

  private renewalFailed(e: unknown): void {
    gatehouseMetrics.signingFailure({ purpose: "agent-token-key-certificate" });
    logger.error("agent-token key certificate renewal failed", {
      event: "signing.certificate_failed",
      rootKid: this.root.kid,
      error: e instanceof Error ? e.name : "error",
    });
  }
}
