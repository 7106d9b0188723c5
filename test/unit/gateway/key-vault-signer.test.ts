import { constants, createHash, generateKeyPairSync, privateEncrypt, verify } from "node:crypto";
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from "jose";
import { KeyVaultSigner, type DigestSigningClient } from "../../../runtime/core/signing/key-vault-signer";

/**
 * Key Vault cannot be reached here: the JWS assembly is tested with a local RSA key behind the
 * same digest-signing interface as CryptographyClient (RS256 = PKCS#1 v1.5 over DigestInfo).
 */
const DIGEST_INFO_SHA256 = Buffer.from("3031300d060960864801650304020105000420", "hex");

function localRsaClient(): { client: DigestSigningClient; publicJwk: JWK; calls: string[] } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const calls: string[] = [];
  const client: DigestSigningClient = {
    async sign(algorithm, digest) {
      calls.push(algorithm);
      expect(digest).toHaveLength(32);
      return {
        result: privateEncrypt(
          { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
          Buffer.concat([DIGEST_INFO_SHA256, digest]),
        ),
      };
    },
  };
  return { client, publicJwk: publicKey.export({ format: "jwk" }) as JWK, calls };
}

describe("KeyVaultSigner JWS assembly", () => {
  test("signJwt produces an RS256 JWT that jose verifies with the public JWK", async () => {
    const { client, publicJwk, calls } = localRsaClient();
    const signer = await KeyVaultSigner.fromClient(client, publicJwk);
    const token = await signer.signJwt({ aud: "gatehouse-agent", server: "files" }, { expiresInSeconds: 60 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "RS256", kid: signer.kid, typ: "JWT" });
    const { payload } = await jwtVerify(token, await importJWK(await signer.publicJwk(), "RS256"), {
      audience: "gatehouse-agent",
    });
    expect(payload.server).toBe("files");
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(calls).toEqual(["RS256"]);
  });

  test("a tampered JWT no longer verifies", async () => {
    const { client, publicJwk } = localRsaClient();
    const signer = await KeyVaultSigner.fromClient(client, publicJwk);
    const [h, , s] = (await signer.signJwt({ sub: "a" }, { expiresInSeconds: 60 })).split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: "b", exp: 9999999999 })).toString("base64url")}.${s}`;
    await expect(jwtVerify(forged, await importJWK(await signer.publicJwk(), "RS256"))).rejects.toThrow();
  });

  test("signBytes is a detached JWS signature over the bytes", async () => {
    const { client, publicJwk } = localRsaClient();
    const signer = await KeyVaultSigner.fromClient(client, publicJwk);
    const data = Buffer.from("checkpoint:42:" + createHash("sha256").update("x").digest("hex"));
    const sig = await signer.signBytes(data);
    expect(verify("sha256", data, { key: publicJwk as never, format: "jwk" }, Buffer.from(sig, "base64url"))).toBe(
      true,
    );
    expect(
      verify("sha256", Buffer.from("other"), { key: publicJwk as never, format: "jwk" }, Buffer.from(sig, "base64url")),
    ).toBe(false);
  });

  test("the public JWK carries kid, alg and use and no private part", async () => {
    const { client, publicJwk } = localRsaClient();
    const jwk = await (await KeyVaultSigner.fromClient(client, publicJwk)).publicJwk();
    expect(jwk).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(jwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(jwk).not.toHaveProperty("d");
  });
});
