/**
 * The gateway's Signer in Azure: a Key Vault key used through the gateway's managed identity; the
 * private key never leaves Key Vault. Key Vault signs a digest, so the JWS is assembled here:
 * base64url(header) "." base64url(payload), sha256, sign, append base64url(signature). Key Vault
 * returns EC signatures as raw r||s, which is what JWS (ES256) wants.
 */
import { createHash } from "node:crypto";
import { calculateJwkThumbprint, type JWK, type JWTPayload } from "jose";
import type { TokenCredential } from "@azure/identity";
import { GatehouseError } from "../errors";
import type { Signer } from "./signer";
import { azureCredential } from "../azure-credential";

/** The part of @azure/keyvault-keys' CryptographyClient this signer uses (tests use a local key behind it). */
export interface DigestSigningClient {
  sign(algorithm: string, digest: Uint8Array): Promise<{ result: Uint8Array }>;
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString("base64url");

export class KeyVaultSigner implements Signer {
  private constructor(
    readonly alg: "ES256" | "RS256",
    readonly kid: string,
    private readonly client: DigestSigningClient,
    private readonly publicKey: JWK,
  ) {}

  /** Reads the key's public half from Key Vault and signs through CryptographyClient. */
  static async create(opts: {
    vaultUrl: string;
    keyName: string;
    credential?: TokenCredential;
  }): Promise<KeyVaultSigner> {
    const { KeyClient, CryptographyClient } = await import("@azure/keyvault-keys");
    const credential = opts.credential ?? azureCredential();
    const key = await new KeyClient(opts.vaultUrl, credential).getKey(opts.keyName);
    if (!key.key)
      throw new GatehouseError("ERR_CONFIG_INVALID", `the Key Vault key ${opts.keyName} has no public material`);
    const k = key.key;
    let jwk: JWK;
    if (k.kty === "EC" || k.kty === "EC-HSM") {
      if (k.crv !== "P-256" || !k.x || !k.y)
        throw new GatehouseError("ERR_CONFIG_INVALID", `the Key Vault key ${opts.keyName} must be EC P-256 or RSA`);
      jwk = { kty: "EC", crv: "P-256", x: b64url(k.x), y: b64url(k.y) };
    } else if ((k.kty === "RSA" || k.kty === "RSA-HSM") && k.n && k.e) {
      jwk = { kty: "RSA", n: b64url(k.n), e: b64url(k.e) };
    } else {
      throw new GatehouseError("ERR_CONFIG_INVALID", `the Key Vault key ${opts.keyName} must be EC P-256 or RSA`);
    }
    return KeyVaultSigner.fromClient(new CryptographyClient(key, credential), jwk);
  }

  /** A signer over any digest-signing client with the given public JWK (EC P-256 → ES256, RSA → RS256). */
  static async fromClient(client: DigestSigningClient, publicJwk: JWK): Promise<KeyVaultSigner> {
    const alg = publicJwk.kty === "EC" ? "ES256" : "RS256";
    const base: JWK =
      publicJwk.kty === "EC"
        ? { kty: "EC", crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y }
        : { kty: "RSA", n: publicJwk.n, e: publicJwk.e };
    const kid = await calculateJwkThumbprint(base);
    return new KeyVaultSigner(alg, kid, client, { ...base, kid, alg, use: "sig" });
  }

  async signJwt(payload: JWTPayload, opts: { expiresInSeconds: number; typ?: string }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: this.alg, kid: this.kid, typ: opts.typ ?? "JWT" };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify({ ...payload, iat: now, exp: now + opts.expiresInSeconds }))}`;
    return `${input}.${await this.signBytes(Buffer.from(input, "ascii"))}`;
  }

  async signBytes(data: Buffer): Promise<string> {
    const digest = createHash("sha256").update(data).digest();
    const { result } = await this.client.sign(this.alg, digest);
    if (this.alg === "ES256" && result.length !== 64)
      throw new GatehouseError("ERR_INTERNAL", "Key Vault returned an EC signature that is not 64 bytes (r||s)");
    return b64url(result);
  }

  async publicJwk(): Promise<JWK> {
    return { ...this.publicKey };
  }
}
