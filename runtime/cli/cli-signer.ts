/**
 * The gateway's checkpoint key, when the CLI may use it, to sign evidence manifests (and the
 * checkpoints of the CLI's own audit chain): `--signing-key-file` or GATEHOUSE_SIGNING_KEY_FILE
 * (a JWK with its private part), else GATEHOUSE_KEYVAULT_URL + GATEHOUSE_SIGNING_KEY_NAME (the
 * Key Vault key, signing with your Azure identity: needs the "sign" permission on it), else the
 * local stack's key when the store is that stack's. None: the manifest is not signed, and says so.
 */
import fs from "node:fs";
import { LocalSigner } from "../core/signing/local-signer";
import { KeyVaultSigner } from "../core/signing/key-vault-signer";
import type { Signer } from "../core/signing/signer";
import { CliError } from "./cli-error";
import type { LocalStackContext } from "./local-stack-context";

export interface CliSigner {
  readonly signer: Signer;
  /** Where the key came from, for the output. */
  readonly from: string;
}

export async function cliSigner(
  opts: { signingKeyFile?: string },
  local: LocalStackContext | null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliSigner | null> {
  const file = opts.signingKeyFile ?? env.GATEHOUSE_SIGNING_KEY_FILE;
  if (file) {
    // LocalSigner.create would generate a new key for a missing file: a typo must not sign with a stranger's key.
    if (!fs.existsSync(file))
      throw new CliError(
        `the signing key file ${file} does not exist: pass the gateway's key (--signing-key-file or GATEHOUSE_SIGNING_KEY_FILE)`,
        2,
      );
    try {
      return { signer: await LocalSigner.create(file), from: file };
    } catch (e) {
      throw new CliError(`cannot read the signing key ${file}: ${(e as Error).message}`, 2);
    }
  }
  if (env.GATEHOUSE_KEYVAULT_URL && env.GATEHOUSE_SIGNING_KEY_NAME) {
    try {
      return {
        signer: await KeyVaultSigner.create({
          vaultUrl: env.GATEHOUSE_KEYVAULT_URL,
          keyName: env.GATEHOUSE_SIGNING_KEY_NAME,
        }),
        from: `${env.GATEHOUSE_KEYVAULT_URL} key ${env.GATEHOUSE_SIGNING_KEY_NAME}`,
      };
    } catch (e) {
      throw new CliError(
        `cannot use the Key Vault key ${env.GATEHOUSE_SIGNING_KEY_NAME} (${(e as Error).message.split("\n")[0]}); az login, and ask for the sign permission on it — or unset GATEHOUSE_KEYVAULT_URL to export unsigned`,
        3,
      );
    }
  }
  if (local?.signingKeyFile)
    return { signer: await LocalSigner.create(local.signingKeyFile), from: "the local stack's key" };
  return null;
}
