/**
 * NODE_EXTRA_CA_CERTS names a trust anchor the process needs (compose.yaml: the dev certificate
 * of the issuer and the customers server). Node only warns when it cannot read the file and starts
 * without it; every https call to that service then fails at run time ("the MCP server could not
 * be reached") although the process reports ready. So the image's entrypoint refuses to start
 * instead: under podman-compose 1.0.x, which does not wait for `setup`, the container exits and is
 * restarted until the certificate is there.
 */
import fs from "node:fs";

/** Why NODE_EXTRA_CA_CERTS cannot be used, or null when it is unset or holds a PEM certificate. */
export function unusableExtraCaCerts(env: NodeJS.ProcessEnv): string | null {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return null;
  let pem: string;
  try {
    pem = fs.readFileSync(file, "utf8");
  } catch (e) {
    return `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`;
  }
  return pem.includes("-----BEGIN CERTIFICATE-----") ? null : `${file} holds no PEM certificate`;
}
