import { constants, generateKeyPairSync, privateEncrypt } from "node:crypto";
import type { JWK } from "jose";
import { KeyVaultSigner, type DigestSigningClient } from "../../../runtime/core/signing/key-vault-signer";

/**
 * Key Vault cannot run here: a local RSA key behind the same digest-signing interface as
 * @azure/keyvault-keys' CryptographyClient (RS256 = PKCS#1 v1.5 over the DigestInfo), counting
 * every operation the way Key Vault's throttling counts them.
 */
const DIGEST_INFO_SHA256 = Buffer.from("3031300d060960864801650304020105000420", "hex");

export interface CountingVault {
  readonly signer: KeyVaultSigner;
  readonly publicJwk: JWK;
  /** Operations Key Vault would have served. */
  operations(): number;
  /** While true, every operation fails (Key Vault unreachable or throttled). */
  failing: boolean;
}

export async function countingKeyVault(): Promise<CountingVault> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  let count = 0;
  const vault = { failing: false } as { failing: boolean };
  const client: DigestSigningClient = {
    async sign(_algorithm, digest) {
      count += 1;
      if (vault.failing) throw Object.assign(new Error("Too Many Requests"), { statusCode: 429 });
      return {
        result: privateEncrypt(
          { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
          Buffer.concat([DIGEST_INFO_SHA256, digest]),
        ),
      };
    },
  };
  const signer = await KeyVaultSigner.fromClient(client, publicKey.export({ format: "jwk" }) as JWK);
  const publicJwk = await signer.publicJwk();
  return Object.assign(vault, { signer, publicJwk, operations: () => count });
}
