/**
 * The public keys the agent trusts to certify gateway agent-token keys: the gateway Signer's
 * keys. A rotation must never refuse a call (issue 13, item 10): a gateway replica keeps the key
 * version it started with while new replicas use the new one, so the agent trusts every enabled
 * version, read from Key Vault (public material only) at start and again when a certificate names
 * a key id it does not know yet (rate-limited). Locally and in tests
 * the keys are given as a JWK or a JWKS (GATEHOUSE_GATEWAY_PUBLIC_JWK).
 */
import { calculateJwkThumbprint, type JWK } from "jose";
import type { TokenCredential } from "@azure/identity";
import { GatehouseError } from "../core/errors";
import { logger } from "../core/telemetry/logger";
import { gatehouseMetrics } from "../core/telemetry/metrics";

export interface TrustedGatewayKeys {
  /** The trusted public key with this `kid`, or null (a source may refresh itself first). */
  find(kid: string): Promise<JWK | null>;
}

/** A JWK's id as the gateway's signers set it: the RFC 7638 thumbprint. */
async function withKid(jwk: JWK): Promise<JWK> {
  const base =
    jwk.kty === "EC" ? { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: jwk.kty, n: jwk.n, e: jwk.e };
  return { ...jwk, kid: jwk.kid ?? (await calculateJwkThumbprint(base as JWK)) };
}

/** Fixed keys: a JWK, or a JWKS `{ "keys": [current, previous] }`. */
export class StaticGatewayKeys implements TrustedGatewayKeys {
  private readonly keys: Promise<JWK[]>;
  constructor(keys: readonly JWK[]) {
    this.keys = Promise.all(keys.map(withKid));
  }
  async find(kid: string): Promise<JWK | null> {
    return (await this.keys).find((k) => k.kid === kid) ?? null;
  }
}

/** One enabled version of the Key Vault key, as public JWK. */
export interface KeyVersionReader {
  enabledVersions(): Promise<JWK[]>;
}

/** Reads the versions of a Key Vault key with @azure/keyvault-keys (needs keys/read on the key). */
export function keyVaultVersionReader(keyId: string, credential: TokenCredential): KeyVersionReader {
  const url = new URL(keyId);
  const name = url.pathname.split("/").filter(Boolean)[1];
  if (!name)
    throw new GatehouseError(
      "ERR_CONFIG_INVALID",
      "invalid configuration:\n  GATEHOUSE_GATEWAY_SIGNING_KEY_ID: must be a Key Vault key URL (https://<vault>.vault.azure.net/keys/<name>)",
      { problems: ["GATEHOUSE_GATEWAY_SIGNING_KEY_ID"] },
    );
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
  return {
    async enabledVersions() {
      const { KeyClient } = await import("@azure/keyvault-keys");
      const client = new KeyClient(url.origin, credential);
      const now = Date.now();
      const out: JWK[] = [];
      for await (const v of client.listPropertiesOfKeyVersions(name)) {
        if (
          v.enabled === false ||
          (v.expiresOn && v.expiresOn.getTime() < now) ||
          (v.notBefore && v.notBefore.getTime() > now)
        )
          continue;
        const k = (await client.getKey(name, { version: v.version })).key;
        if (k?.x && k.y && k.crv === "P-256")
          out.push({ kty: "EC", crv: "P-256", x: b64(k.x), y: b64(k.y), alg: "ES256" });
        else if (k?.n && k.e) out.push({ kty: "RSA", n: b64(k.n), e: b64(k.e), alg: "RS256" });
      }
      return out;
    },
  };
}

/**
 * Every enabled version of the gateway's Key Vault key. An unknown kid triggers a re-read, at most
 * one per `minRefreshSeconds`: a kid arriving sooner waits for the next allowed read instead of
 * being refused (a new key version must never refuse a call), and every kid waiting shares it
 * (forged kids cannot multiply Key Vault reads).
 */
export class KeyVaultGatewayKeys implements TrustedGatewayKeys {
  private keys: JWK[] = [];
  private lastRefresh = 0;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly reader: KeyVersionReader,
    private readonly minRefreshSeconds = 10,
  ) {}

  /** Reads the versions now (at start: a failure here fails the start). */
  async load(): Promise<this> {
    await this.refresh();
    return this;
  }

  async find(kid: string): Promise<JWK | null> {
    const known = this.keys.find((k) => k.kid === kid);
    if (known) return known;
    const wait = Math.max(0, this.lastRefresh + this.minRefreshSeconds * 1000 - Date.now());
    try {
      await (this.refreshing ??= new Promise<void>((resolve) => setTimeout(resolve, wait))
        .then(() => this.refresh())
        .finally(() => (this.refreshing = null)));
    } catch (e) {
      // Keep the keys we have: an unknown kid stays refused (fail closed), the failure is seen.
      gatehouseMetrics.signingFailure({ purpose: "agent-trusted-keys-refresh" });
      logger.error("reading the gateway's key versions failed", {
        event: "agent.trusted_keys_refresh_failed",
        error: e instanceof Error ? e.name : "error",
      });
    }
    return this.keys.find((k) => k.kid === kid) ?? null;
  }

  private async refresh(): Promise<void> {
    this.lastRefresh = Date.now();
    this.keys = await Promise.all((await this.reader.enabledVersions()).map(withKid));
    logger.info("gateway key versions read", {
      event: "agent.trusted_keys",
      count: this.keys.length,
      kids: this.keys.map((k) => k.kid),
    });
  }
}

/** Trusts a key any of the sources trusts (fixed keys first: no Key Vault call for them). */
export function anyOf(...sources: TrustedGatewayKeys[]): TrustedGatewayKeys {
  return {
    async find(kid) {
      for (const s of sources) {
        const k = await s.find(kid);
        if (k) return k;
      }
      return null;
    },
  };
}
