/**
 * The agent accepts only requests carrying a gateway token minted for that very request: typed
 * `gatehouse-agent+jwt`, signed by a key whose certificate (typed `gatehouse-key-cert+jwt`) a
 * trusted gateway key signed, right issuer and audience on both, at most 60 s old, same server,
 * HTTP method and body hash, never replayed. Verified certificates are cached until they expire,
 * so steady-state verification is local.
 */
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK, type KeyLike } from "jose";
import { GatehouseError } from "../core/errors";
import {
  AGENT_AUDIENCE,
  AGENT_TOKEN_SECONDS,
  AGENT_TOKEN_TYP,
  AgentTokenClaimsSchema,
  CERTIFICATE_HEADER,
  GATEWAY_ISSUER,
  KEY_CERTIFICATE_TYP,
  KeyCertificateClaimsSchema,
  bodyHash,
  type AgentTokenClaims,
} from "../core/mcp/agent-token";
import { StaticGatewayKeys, type TrustedGatewayKeys } from "./trusted-gateway-keys";

/** A certificate living longer than this is refused (the gateway issues 1 h ones). */
const MAX_CERTIFICATE_SECONDS = 24 * 3600;
const CLOCK_TOLERANCE = 5;
/** Verified certificates kept (one per gateway replica and period; more means churn, not attack: each entry needs a trusted signature). */
const MAX_CACHED_CERTIFICATES = 256;

interface VerifiedKey {
  readonly key: KeyLike | Uint8Array;
  readonly kid: string;
  readonly exp: number;
}

const invalid = (why: string) => new GatehouseError("ERR_AUTH_INVALID", `the gateway token is not valid: ${why}`);

export class GatewayTokenVerifier {
  private readonly trusted: TrustedGatewayKeys;
  private readonly certificates = new Map<string, VerifiedKey>();
  private readonly seen = new Map<string, number>();

  /** `keys`: the trusted gateway keys, or (tests, local stack) the one public JWK of the gateway's Signer. */
  constructor(keys: TrustedGatewayKeys | JWK) {
    this.trusted =
      "find" in keys && typeof keys.find === "function"
        ? (keys as TrustedGatewayKeys)
        : new StaticGatewayKeys([keys as JWK]);
  }

  async verify(
    authorization: string | undefined,
    expect: { server: string; httpMethod: string; body: Buffer },
  ): Promise<AgentTokenClaims> {
    const m = /^Bearer (\S+)$/i.exec(authorization ?? "");
    if (!m) throw new GatehouseError("ERR_AUTH_MISSING", "the agent accepts only requests from the gateway");
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(m[1]) as Record<string, unknown>;
    } catch {
      throw invalid("not a JWS");
    }
    if (header.typ !== AGENT_TOKEN_TYP) throw invalid("not an agent token");
    const cert = header[CERTIFICATE_HEADER];
    if (typeof cert !== "string") throw invalid("no key certificate");
    const signing = await this.certifiedKey(cert);
    if (header.kid !== signing.kid) throw invalid("the key id does not match its certificate");
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(m[1], signing.key, {
        algorithms: ["ES256"],
        typ: AGENT_TOKEN_TYP,
        issuer: GATEWAY_ISSUER,
        audience: AGENT_AUDIENCE,
        maxTokenAge: AGENT_TOKEN_SECONDS,
        clockTolerance: CLOCK_TOLERANCE,
      }));
    } catch {
      throw new GatehouseError("ERR_AUTH_INVALID", "the gateway token is not valid");
    }
    const claims = AgentTokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw new GatehouseError("ERR_AUTH_INVALID", "the gateway token lacks request-binding claims");
    const c = claims.data;
    if (c.exp - c.iat > AGENT_TOKEN_SECONDS)
      throw new GatehouseError("ERR_AUTH_INVALID", "the gateway token lives too long");
    if (c.exp > signing.exp + CLOCK_TOLERANCE) throw invalid("it outlives its key certificate");
    if (c.server !== expect.server || c.htm !== expect.httpMethod || c.bh !== bodyHash(expect.body)) {
      throw new GatehouseError("ERR_AUTH_INVALID", "the gateway token was issued for another request");
    }
    this.remember(c.jti, c.exp);
    return c;
  }

  /** The key a certificate certifies, once its signature by a trusted gateway key is checked. */
  private async certifiedKey(cert: string): Promise<VerifiedKey> {
    const nowS = Date.now() / 1000;
    const cached = this.certificates.get(cert);
    if (cached && cached.exp + CLOCK_TOLERANCE >= nowS) return cached;
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(cert) as Record<string, unknown>;
    } catch {
      throw invalid("malformed key certificate");
    }
    if (header.typ !== KEY_CERTIFICATE_TYP || typeof header.kid !== "string") throw invalid("not a key certificate");
    const root = await this.trusted.find(header.kid);
    if (!root) throw invalid("its key certificate is signed by a key the agent does not trust");
    const alg = root.alg ?? (root.kty === "EC" ? "ES256" : "RS256");
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(cert, await importJWK(root, alg), {
        algorithms: [alg],
        typ: KEY_CERTIFICATE_TYP,
        issuer: GATEWAY_ISSUER,
        audience: AGENT_AUDIENCE,
        clockTolerance: CLOCK_TOLERANCE,
        requiredClaims: ["exp", "iat"],
      }));
    } catch {
      throw invalid("its key certificate does not verify");
    }
    const claims = KeyCertificateClaimsSchema.safeParse(payload);
    if (!claims.success) throw invalid("its key certificate lacks the key");
    if (claims.data.exp - claims.data.iat > MAX_CERTIFICATE_SECONDS)
      throw invalid("its key certificate lives too long");
    const { kid, ...jwk } = claims.data.cnf.jwk;
    const verified: VerifiedKey = { key: await importJWK(jwk, "ES256"), kid, exp: claims.data.exp };
    this.cacheCertificate(cert, verified, nowS);
    return verified;
  }

  private cacheCertificate(cert: string, key: VerifiedKey, nowS: number): void {
    for (const [c, k] of this.certificates) if (k.exp + CLOCK_TOLERANCE < nowS) this.certificates.delete(c);
    if (this.certificates.size >= MAX_CACHED_CERTIFICATES)
      this.certificates.delete(this.certificates.keys().next().value as string);
    this.certificates.set(cert, key);
  }

  private remember(jti: string, exp: number): void {
    const now = Date.now() / 1000;
    if (this.seen.has(jti)) throw new GatehouseError("ERR_AUTH_INVALID", "the gateway token was already used");
    // Tokens arrive roughly in expiry order (all live AGENT_TOKEN_SECONDS), and a Map iterates in
    // insertion order: drop expired ones from the front and stop at the first live one. Scanning
    // the whole map on every call cost ~0.2 ms per call at 300 calls/s (21,000 tokens remembered).
    // An out-of-order token only delays the sweep until it expires itself.
    for (const [k, e] of this.seen) {
      if (e >= now - 10) break;
      this.seen.delete(k);
    }
    this.seen.set(jti, exp);
  }
}
