/**
 * `gatehouse evidence verify <dir|zip> [--public-key <jwk.json>] [--json]`: checks a package
 * offline (file hashes, completeness, sample proofs, the manifest signature). A key the user
 * passes is a request to check authorship: an unsigned manifest then fails.
 */
import fs from "node:fs";
import { verifyEvidencePackage } from "../core/evidence/package-verifier";
import { CliError } from "./cli-error";
import { publicKeys, readJwks, type EvidenceSourceOptions } from "./evidence-inputs";

export async function runVerify(
  target: string | undefined,
  opts: EvidenceSourceOptions & { json?: boolean },
): Promise<void> {
  if (!target) throw new CliError("usage: gatehouse evidence verify <dir|zip>", 2);
  if (!fs.existsSync(target)) throw new CliError(`${target} does not exist: pass an evidence directory or its zip`, 2);
  const { keys } = opts.publicKey ? { keys: readJwks(opts.publicKey) } : await publicKeys(opts);
  // A key the user passed is a request to check authorship: an unsigned manifest then fails.
  const v = verifyEvidencePackage(target, { publicJwks: keys, requireSignature: opts.publicKey !== undefined });
  const signature = {
    valid: "manifest signature valid",
    unchecked: "manifest signed, signature NOT checked (pass --public-key <gateway-key.jwk.json>)",
    unsigned: "manifest NOT signed: authorship cannot be checked",
    invalid: "manifest signature INVALID",
    unknown_key: "manifest signed with another key",
  }[v.signature ?? "unsigned"];
  if (opts.json)
    process.stdout.write(
      JSON.stringify({ ok: v.ok, report: v.manifest?.report ?? null, signature: v.signature, problems: v.problems }) +
        "\n",
    );
  else
    process.stdout.write(
      v.ok
        ? `OK: ${target} verifies (${v.manifest!.files.length} files, ${v.manifest!.recordCount} records; ${signature})\n`
        : `FAILED: ${target}\n  ${v.problems.join("\n  ")}\n`,
    );
  if (!v.ok) process.exitCode = 1;
}
