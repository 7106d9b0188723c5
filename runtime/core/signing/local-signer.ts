/**
 * A Signer on a local key: the local stack and tests. The key is generated once and, when a
 * path is given, kept in a 0600 file so tokens and checkpoints survive a restart.
 */
import fs from "node:fs";
import path from "node:path";
import { createSign } from "node:crypto";
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  type KeyLike,
} from "jose";
import type { Signer } from "./signer";

export class LocalSigner implements Signer {
  readonly alg = "ES256";
  private constructor(
    readonly kid: string,
    private readonly privateKey: KeyLike,
    private readonly publicKey: JWK,
  ) {}

  static async create(keyFile?: string): Promise<LocalSigner> {
    let privateJwk: JWK;
    if (keyFile && fs.existsSync(keyFile)) {
      privateJwk = JSON.parse(fs.readFileSync(keyFile, "utf8")) as JWK;
    } else {
      const { privateKey } = await generateKeyPair("ES256", { extractable: true });
      privateJwk = await exportJWK(privateKey);
      if (keyFile) {
        fs.mkdirSync(path.dirname(keyFile), { recursive: true });
        fs.writeFileSync(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
      }
    }
    const { d: _d, ...publicJwk } = privateJwk;
    const kid = await calculateJwkThumbprint(publicJwk);
    const key = (await importJWK({ ...privateJwk, alg: "ES256" }, "ES256")) as KeyLike;
    return new LocalSigner(kid, key, { ...publicJwk, kid, alg: "ES256", use: "sig" });
  }

  async signJwt(payload: JWTPayload, opts: { expiresInSeconds: number; typ?: string }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: this.alg, kid: this.kid, typ: opts.typ ?? "JWT" })
      .setIssuedAt(now)
      .setExpirationTime(now + opts.expiresInSeconds)
      .sign(this.privateKey);
  }

  async signBytes(data: Buffer): Promise<string> {
    // ieee-p1363 gives the raw r||s form JWS uses, so verifiers can use the same JWK.
    const sig = createSign("sha256")
      .update(data)
      .sign({ key: this.privateKey as never, dsaEncoding: "ieee-p1363" });
    return sig.toString("base64url");
  }

  async publicJwk(): Promise<JWK> {
    return { ...this.publicKey };
  }
}
