/**
 * The approval page's OpenID Connect client: authorization-code flow with PKCE (S256), state and
 * nonce, id_token validated with jose against the issuer's JWKS. Written on jose and fetch
 * because openid-client 6 is ESM-only and cannot load in this CommonJS build (docs/decisions/0003).
 */
import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";
import { GatehouseError } from "../../core/errors";
import { IdentityProviderSchema, type IdentityProvider } from "../../core/config/identity-providers";
import { profileOf } from "../auth/identity-from-claims";

export interface OidcSettings {
  /** Issuer URL or its discovery document URL (`.../.well-known/openid-configuration`). */
  readonly issuer: string;
  readonly clientId: string;
  /** @default `${publicUrl}/approvals/callback` */
  readonly redirectUri?: string;
  /** Confidential clients only; public clients rely on PKCE alone. */
  readonly clientSecret?: string;
  /** @default "openid profile" */
  readonly scope?: string;
  /**
   * The identity provider the page signs in with: its profile's issuer and tenant rules (the
   * tenant allow-list included) and its algorithms apply to the id_token exactly as to bearer
   * tokens. @default - an Entra provider of `issuer` that admits only the tenant its issuer names
   */
  readonly provider?: IdentityProvider;
}

const DiscoverySchema = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
});
type Discovery = z.infer<typeof DiscoverySchema>;

export interface LoginStart {
  readonly url: string;
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
}

const b64url = (b: Buffer): string => b.toString("base64url");

export class OidcClient {
  private discovery: Promise<{ d: Discovery; jwks: ReturnType<typeof createRemoteJWKSet> }> | null = null;

  /** The provider whose rules the id_token must pass. */
  readonly provider: IdentityProvider;

  constructor(readonly settings: OidcSettings & { redirectUri: string }) {
    this.provider =
      settings.provider ??
      IdentityProviderSchema.parse({
        name: "entra",
        profile: "entra",
        metadata: settings.issuer,
        audiences: [settings.clientId],
      });
  }

  private load() {
    if (!this.discovery) {
      const url = /\/\.well-known\/openid-configuration$/.test(this.settings.issuer)
        ? this.settings.issuer
        : this.settings.issuer.replace(/\/+$/, "") + "/.well-known/openid-configuration";
      this.discovery = (async () => {
        const res = await fetch(url, {
          signal: AbortSignal.timeout(10_000),
          headers: { accept: "application/json" },
        }).catch((e) => {
          throw new GatehouseError(
            "ERR_UPSTREAM_UNAVAILABLE",
            `the sign-in provider could not be reached: ${(e as Error).message}`,
          );
        });
        if (!res.ok)
          throw new GatehouseError(
            "ERR_UPSTREAM_BAD_RESPONSE",
            `the sign-in provider's discovery answered HTTP ${res.status}`,
          );
        const d = DiscoverySchema.parse(await res.json());
        profileOf(this.provider).onDiscovery(d.issuer, this.provider);
        return { d, jwks: createRemoteJWKSet(new URL(d.jwks_uri), { timeoutDuration: 10_000 }) };
      })();
      this.discovery.catch(() => (this.discovery = null));
    }
    return this.discovery;
  }

  async start(loginHint?: string): Promise<LoginStart> {
    const { d } = await this.load();
    const state = b64url(randomBytes(24));
    const nonce = b64url(randomBytes(24));
    const verifier = b64url(randomBytes(48));
    const challenge = b64url(createHash("sha256").update(verifier).digest());
    const u = new URL(d.authorization_endpoint);
    u.searchParams.set("response_type", "code");
    u.searchParams.set("client_id", this.settings.clientId);
    u.searchParams.set("redirect_uri", this.settings.redirectUri);
    u.searchParams.set("scope", this.settings.scope ?? "openid profile");
    u.searchParams.set("state", state);
    u.searchParams.set("nonce", nonce);
    u.searchParams.set("code_challenge", challenge);
    u.searchParams.set("code_challenge_method", "S256");
    if (loginHint) u.searchParams.set("login_hint", loginHint);
    return { url: u.toString(), state, nonce, verifier };
  }

  /** Exchanges the code and returns the validated id_token claims. */
  async finish(code: string, expected: { nonce: string; verifier: string }): Promise<JWTPayload> {
    const { d, jwks } = await this.load();
    const body = new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: this.settings.redirectUri,
      client_id: this.settings.clientId,
      code_verifier: expected.verifier,
    });
    if (this.settings.clientSecret) body.set("client_secret", this.settings.clientSecret);
    const res = await fetch(d.token_endpoint, {
      method: "POST",
      body,
      signal: AbortSignal.timeout(10_000),
      headers: { accept: "application/json" },
    });
    const json = (await res.json().catch(() => ({}))) as { id_token?: unknown };
    if (!res.ok || typeof json.id_token !== "string") {
      throw new GatehouseError(
        "ERR_AUTH_INVALID",
        `the sign-in could not be completed (token endpoint HTTP ${res.status})`,
      );
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(json.id_token, jwks, {
        audience: this.settings.clientId,
        algorithms: [...this.provider.algorithms],
        requiredClaims: ["exp", "iat", "iss"],
      }));
    } catch (e) {
      throw new GatehouseError(
        "ERR_AUTH_INVALID",
        `the id_token is not valid (${(e as { code?: string }).code ?? "invalid"})`,
      );
    }
    // Issuer and tenant are judged on the verified claims, by the same rules as bearer tokens
    // (never on a tid read before the signature was checked).
    const p = this.provider;
    if (!profileOf(p).ownsIssuer(String(payload.iss), d.issuer, p))
      throw new GatehouseError("ERR_AUTH_INVALID", "the id_token's issuer is not accepted");
    profileOf(p).checkClaims(payload, d.issuer, p);
    if (payload.nonce !== expected.nonce)
      throw new GatehouseError("ERR_AUTH_INVALID", "the id_token nonce does not match this sign-in");
    return payload;
  }
}
