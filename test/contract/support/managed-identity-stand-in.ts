/**
 * What Container Apps gives a process for its managed identities: IDENTITY_ENDPOINT and
 * IDENTITY_HEADER (the App Service protocol that @azure/identity's ManagedIdentityCredential
 * speaks). The stand-in issues an unsigned-in-spirit JWT per request — Azurite's `--oauth basic`
 * checks issuer, audience and lifetime, not signatures — and records who asked for what.
 */
import http from "node:http";
import { SignJWT } from "jose";
import { randomBytes } from "node:crypto";
import { listenOnLoopback } from "../../support/loopback-server";

export interface IdentityRequest {
  readonly clientId: string | null;
  readonly resource: string | null;
}

export interface ManagedIdentityStandIn {
  readonly env: { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
  readonly requests: IdentityRequest[];
  readonly server: http.Server;
}

export async function startManagedIdentityStandIn(tenantId: string): Promise<ManagedIdentityStandIn> {
  const header = randomBytes(12).toString("hex");
  const key = randomBytes(32);
  const requests: IdentityRequest[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.headers["x-identity-header"] !== header) return void res.writeHead(401).end();
      const resource = u.searchParams.get("resource");
      const clientId = u.searchParams.get("client_id");
      requests.push({ clientId, resource });
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ oid: clientId ?? "system", appid: clientId ?? "system", tid: tenantId })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer(`https://sts.windows.net/${tenantId}/`)
        .setAudience((resource ?? "").replace(/\/+$/, ""))
        .setNotBefore(now - 60)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(key);
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          access_token: token,
          expires_on: String(now + 3600),
          resource,
          token_type: "Bearer",
          client_id: clientId,
        }),
      );
    })();
  });
  const { url } = await listenOnLoopback(server);
  return { env: { IDENTITY_ENDPOINT: `${url}/msi/token`, IDENTITY_HEADER: header }, requests, server };
}
