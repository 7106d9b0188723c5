/** A throwaway self-signed certificate for 127.0.0.1 (Azurite's OAuth mode needs HTTPS) and extra host names (the stand-in vault). */
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";

export function loopbackCertificate(dir: string, dnsNames: readonly string[] = []): { cert: string; key: string } {
  const cert = path.join(dir, "loopback-cert.pem");
  const key = path.join(dir, "loopback-key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      `subjectAltName=IP:127.0.0.1,DNS:localhost${dnsNames.map((d) => `,DNS:${d}`).join("")}`,
    ],
    { stdio: "ignore" },
  );
  fs.chmodSync(key, 0o600);
  return { cert, key };
}
