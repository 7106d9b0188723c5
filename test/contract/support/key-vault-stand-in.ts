/**
 * Key Vault's data plane, as far as the apps use it: the challenge (401 with the tenant and the
 * `https://vault.azure.net` resource, what @azure/keyvault-* answer with a managed-identity token),
 * a key's versions and each version's public JWK (the agent's trusted keys), and a secret's
 * latest version. Served over HTTPS on loopback under a `*.vault.azure.net` host name, which the
 * apps resolve to 127.0.0.1 through the private-DNS preload (private-dns-preload.js), as the
 * private DNS zone resolves the vault to its private endpoint in Azure. Records who read what.
 */
import https from "node:https";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import { decodeJwt, type JWK } from "jose";

export const STAND_IN_VAULT_HOST = "gatehouse-contract.vault.azure.net";

export interface VaultRead {
  readonly path: string;
  /** The client id the caller's token was issued to (the managed-identity stand-in sets appid). */
  readonly clientId: string | null;
}

export interface KeyVaultStandIn {
  readonly url: string;
  readonly reads: VaultRead[];
  readonly server: https.Server;
}

export interface KeyVaultContents {
  /** Key name → its enabled versions' public JWKs (EC P-256). */
  readonly keys: Record<string, JWK[]>;
  /** Secret name → value (its latest version). */
  readonly secrets: Record<string, string>;
}

export async function startKeyVaultStandIn(
  tls: { cert: string; key: string },
  tenantId: string,
  contents: KeyVaultContents,
): Promise<KeyVaultStandIn> {
  const reads: VaultRead[] = [];
  let base = "";
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const handle = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse): unknown => {
    const auth = req.headers.authorization;
    if (!auth?.startsWith("Bearer ")) {
      res.setHeader(
        "www-authenticate",
        `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="https://vault.azure.net"`,
      );
      return json(res, 401, {
        error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." },
      });
    }
    const path = new URL(req.url ?? "/", base).pathname.replace(/\/+$/, "");
    reads.push({ path, clientId: (decodeJwt(auth.slice(7)).appid as string | undefined) ?? null });
    const [, kind, name, version] = path.split("/");
    if (req.method === "GET" && kind === "keys" && contents.keys[name]) {
      const versions = contents.keys[name].map((jwk, i) => ({ jwk, id: `v${i + 1}` }));
      if (version === "versions")
        return json(res, 200, {
          value: versions.map((v) => ({ kid: `${base}/keys/${name}/${v.id}`, attributes: { enabled: true } })),
          nextLink: null,
        });
      const v = version ? versions.find((x) => x.id === version) : versions[versions.length - 1];
      if (v)
        return json(res, 200, {
          key: {
            kid: `${base}/keys/${name}/${v.id}`,
            kty: "EC",
            crv: "P-256",
            x: v.jwk.x,
            y: v.jwk.y,
            key_ops: ["sign", "verify"],
          },
          attributes: { enabled: true },
        });
    }
    if (req.method === "GET" && kind === "secrets" && name in contents.secrets && !version) {
      return json(res, 200, {
        value: contents.secrets[name],
        id: `${base}/secrets/${name}/v1`,
        attributes: { enabled: true },
      });
    }
    return json(res, 404, {
      error: { code: kind === "keys" ? "KeyNotFound" : "SecretNotFound", message: "not found" },
    });
  };
  const server = https.createServer(
    { cert: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key) },
    (req, res) => void handle(req, res),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `https://${STAND_IN_VAULT_HOST}:${(server.address() as AddressInfo).port}`;
  return { url: `${base}/`, reads, server };
}
