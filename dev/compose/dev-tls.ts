/**
 * The TLS certificate of compose.yaml's dev services. In Compose the local issuer and the demo
 * customers server are other containers, and neither end accepts plain http off loopback: the
 * gateway takes an identity provider's discovery and keys over https only, and the declared
 * policies refuse an http MCP server that is not on loopback. So both serve TLS with this one
 * self-signed certificate (a name per service), which the gateway and the agent trust through
 * NODE_EXTRA_CA_CERTS. Made with Debian's openssl (the image's `dev` target installs it); kept
 * across restarts, so that trust stays valid.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface DevTls {
  readonly certFile: string;
  readonly keyFile: string;
}

const HOSTNAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i;

/** Creates `<dir>/cert.pem` and `<dir>/key.pem` (0600) naming `hostnames`, unless both exist. */
export function ensureDevTls(dir: string, hostnames: readonly string[]): DevTls {
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) return { certFile, keyFile };
  const bad = hostnames.filter((h) => !HOSTNAME.test(h));
  if (hostnames.length === 0 || bad.length)
    throw new TypeError(`expected host names, got: ${hostnames.join(",") || "none"}`);
  fs.mkdirSync(dir, { recursive: true });
  // EC P-256, self-signed (basicConstraints CA:TRUE from openssl's defaults: it is its own trust anchor).
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "825",
      "-subj",
      `/CN=${hostnames[0]}`,
      "-addext",
      `subjectAltName=${hostnames.map((h) => `DNS:${h}`).join(",")}`,
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  fs.chmodSync(keyFile, 0o600);
  // The certificate is public: every service that trusts it reads it.
  fs.chmodSync(certFile, 0o644);
  return { certFile, keyFile };
}
