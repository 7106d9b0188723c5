/** Starts shaped-issuer-process.mjs (an oauth2-mock-server process shaped like one provider) and mints its tokens. */
import path from "node:path";
import { launch, type LaunchedProcess } from "../../../../dev/process-launcher";
import { repoRoot } from "../../../../runtime/core/repo-root";

export type Provider = "entra" | "okta" | "auth0" | "keycloak";

export interface IssuerShape {
  readonly provider: Provider;
  /** @default "RS256" */
  readonly alg?: "RS256" | "ES256" | "PS256";
  /** Entra multi-tenant discovery: issuer `<url>/{tenantid}/v2.0`, tokens `<url>/<tid>/v2.0`. @default false */
  readonly multiTenant?: boolean;
  /** Access tokens' default `aud`. @default the demo audience (api://gatehouse) */
  readonly audience?: string;
  /** Users beside the demo users (alice, bob, carol); `tid` puts one in another tenant. */
  readonly users?: Record<string, { oid: string; username: string; roles: string[]; groups?: string[]; tid?: string }>;
}

export interface ShapedIssuer {
  readonly url: string;
  readonly shape: IssuerShape;
  /** The discovery document URL. */
  readonly metadata: string;
  /** An access token for a user; `extra` carries the knobs (aud, exp_offset, tid, iss). */
  token(user: string, extra?: Record<string, string>): Promise<string>;
  /** A client-credentials (machine) token for a client id. */
  appToken(clientId: string, extra?: Record<string, string>): Promise<string>;
  readonly process: LaunchedProcess;
  stop(): Promise<void>;
}

export async function startShapedIssuer(shape: IssuerShape): Promise<ShapedIssuer> {
  const script = path.join(repoRoot(), "test", "integration", "identity", "support", "shaped-issuer-process.mjs");
  const proc = await launch({
    name: `issuer-${shape.provider}`,
    command: process.execPath,
    args: [script, "--shape", JSON.stringify(shape)],
    ready: /shaped issuer listening at (\S+)/,
  });
  const url = proc.match[1];
  const mint = async (fields: Record<string, string>): Promise<string> => {
    const res = await fetch(`${url}/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", ...fields }),
    });
    const json = (await res.json()) as { access_token?: string };
    if (!res.ok || !json.access_token) throw new Error(`the shaped issuer refused a token: HTTP ${res.status}`);
    return json.access_token;
  };
  return {
    url,
    shape,
    metadata: `${url}/.well-known/openid-configuration`,
    token: (user, extra = {}) => mint({ username: user, ...extra }),
    appToken: (clientId, extra = {}) => mint({ app: clientId, ...extra }),
    process: proc,
    stop: () => proc.stop(),
  };
}
