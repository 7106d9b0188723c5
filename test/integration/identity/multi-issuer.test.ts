/**
 * Any OIDC provider, several at once (issue 16), through the built gateway with the MCP SDK
 * client: the local Entra-shaped issuer (GATEHOUSE_IDENTITY_METADATA, RS256) and Okta- (PS256,
 * roles in `groups`), Auth0- (RS256, a namespaced roles claim) and Keycloak-shaped (ES256,
 * `realm_access.roles`) issuers from GATEHOUSE_OIDC_ISSUERS.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { CI_BOT, startIdentityStack, type IdentityStack } from "./support/identity-stack";

jest.setTimeout(180_000);

let env: IdentityStack;
beforeAll(async () => {
  env = await startIdentityStack();
});
afterAll(async () => {
  await env?.stop();
});

type Mint = (user: string, extra?: Record<string, string>) => Promise<string>;
const providers = (): [string, Mint][] => [
  ["entra", (u, x) => env.entraToken(u, x)],
  ["okta", (u, x) => env.okta.token(u, x)],
  ["auth0", (u, x) => env.auth0.token(u, x)],
  ["keycloak", (u, x) => env.keycloak.token(u, x)],
];

async function connect(token: string, server = "customers"): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${env.gateway}/mcp/${server}`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: "identity-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});
const post = (token: string | null, server = "customers", headers: Record<string, string> = {}) =>
  fetch(`${env.gateway}/mcp/${server}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: INITIALIZE,
  });
const errorCode = async (res: Response): Promise<string> =>
  ((await res.json()) as { error: { data: { code: string } } }).error.data.code;

describe.each(["entra", "okta", "auth0", "keycloak"])("%s-shaped issuer", (name) => {
  const mint = (): Mint => providers().find(([n]) => n === name)![1];

  test("alice's roles claim maps to Engineer: the MCP SDK client lists and calls tools", async () => {
    const client = await connect(await mint()("alice"));
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain("list_customers");
      const result = await client.callTool({ name: "list_customers", arguments: {} });
      expect(result.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  test("carol (Auditor) is authenticated but reaches no MCP server: 403 with the insufficient_scope challenge", async () => {
    const res = await post(await mint()("carol"));
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer error="insufficient_scope", scope="api://gatehouse/.default", resource_metadata="${env.gateway}/.well-known/oauth-protected-resource/mcp/customers"`,
    );
    expect(await errorCode(res)).toBe("ERR_FORBIDDEN");
  });
});

test("the audit actor carries the provider's mapped claims (Auth0: sub as the id, email as the name), via oidc", async () => {
  const client = await connect(await env.auth0.token("alice"));
  await client.callTool({ name: "list_customers", arguments: {} });
  await client.close();
  const rec = await env.waitForRecord(
    (r) => r.kind === "mcp.request" && r.actor.via === "oidc" && !!r.actor.oid?.startsWith("auth0|"),
  );
  expect(rec?.actor).toMatchObject({ roles: ["Engineer"], via: "oidc" });
  expect(rec?.actor.username).not.toBeNull();
  expect(rec?.actor.kind).toBeUndefined();
});

test("a token signed by one issuer that names another issuer's iss fails that issuer's signature check", async () => {
  for (const [forger, victim] of [
    [env.okta, env.keycloak],
    [env.keycloak, env.auth0],
    [env.auth0, env.okta],
  ]) {
    const forged = await forger.token("alice", {
      iss: victim.url,
      aud: decodeJwt(await victim.token("alice")).aud as string,
    });
    const res = await post(forged);
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("ERR_AUTH_INVALID");
  }
  // The Entra provider (the local issuer) too: an Okta-signed token claiming its issuer.
  const entraIss = decodeJwt(await env.entraToken("alice")).iss!;
  const res = await post(await env.okta.token("alice", { iss: entraIss, aud: "api://gatehouse" }));
  expect(res.status).toBe(401);
});

test("an unknown issuer is refused", async () => {
  const res = await post(await env.okta.token("alice", { iss: "https://idp.evil.example" }));
  expect(res.status).toBe(401);
  expect(await errorCode(res)).toBe("ERR_AUTH_INVALID");
});

describe("RFC 8707 audience: this MCP server's resource URL", () => {
  test("a token whose aud is this server's resource URL is accepted, on this server only", async () => {
    const token = await env.keycloak.token("alice", { aud: `${env.gateway}/mcp/customers` });
    const client = await connect(token);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
    const other = await post(token, "files");
    expect(other.status).toBe(401);
    expect(await errorCode(other)).toBe("ERR_AUTH_INVALID");
  });

  test("a token addressed to the configured audience and another server's resource is refused", async () => {
    const res = await post(await env.okta.token("alice", { aud: `api://gatehouse-okta,${env.gateway}/mcp/files` }));
    expect(res.status).toBe(401);
  });

  test("another provider's audience is not this provider's", async () => {
    const res = await post(await env.okta.token("alice", { aud: "gatehouse" }));
    expect(res.status).toBe(401);
  });
});

describe("machine identities (client-credentials tokens)", () => {
  test("an app named in principals.apps reaches what its rule allows, and the audit actor says app", async () => {
    const client = await connect(await env.keycloak.appToken(CI_BOT));
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toEqual(["list_customers"]);
      expect((await client.callTool({ name: "list_customers", arguments: {} })).isError).toBeFalsy();
    } finally {
      await client.close();
    }
    const rec = await env.waitForRecord((r) => r.kind === "mcp.request" && r.actor.appId === CI_BOT);
    expect(rec?.actor).toMatchObject({ kind: "app", appId: CI_BOT, username: null, via: "oidc" });

    // Evidence, as an auditor reads it through the API: the machine's calls and its entitlement.
    const from = new Date(Date.now() - 3600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const get = async (report: string) =>
      (await (
        await fetch(`${env.gateway}/api/evidence/${report}?from=${from}&to=${to}`, {
          headers: { authorization: `Bearer ${await env.entraToken("carol")}` },
        })
      ).json()) as { rows: Record<string, unknown>[] };
    const calls = (await get("tool-calls")).rows.filter((r) => r.actorKind === "app");
    expect(calls.map((r) => [r.actorAppId, r.tool, r.executed])).toEqual([[CI_BOT, "list_customers", true]]);
    expect((await get("tool-calls")).rows.filter((r) => r.actorKind === "user").length).toBeGreaterThan(0);
    const entitlements = (await get("entitlements")).rows.filter((r) => r.principalType === "app");
    expect(entitlements.map((r) => [r.principal, r.server, r.ruleId])).toEqual([
      [CI_BOT, "customers", "ci-bot-reads-customers"],
    ]);
  });

  test("an app is never let in through a role its provider asserts", async () => {
    const res = await post(await env.auth0.appToken("build-agent", { roles: "Engineer" }));
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });
});

describe("CORS: only the protected-resource metadata, GET, no credentials", () => {
  const META = () => `${env.gateway}/.well-known/oauth-protected-resource/mcp/customers`;
  const ORIGIN = "http://localhost:6274"; // the MCP Inspector's UI

  test("a browser client reads the metadata cross-origin; it names every provider", async () => {
    const res = await fetch(META(), { headers: { origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    const doc = (await res.json()) as { resource: string; authorization_servers: string[] };
    expect(doc.resource).toBe(`${env.gateway}/mcp/customers`);
    expect(doc.authorization_servers).toEqual([
      env.stack.info.issuerUrl,
      env.okta.url,
      env.auth0.url,
      env.keycloak.url,
    ]);
  });

  test("the preflight allows GET and the MCP-Protocol-Version header, nothing else", async () => {
    const res = await fetch(META(), {
      method: "OPTIONS",
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "GET",
        "access-control-request-headers": "mcp-protocol-version",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe("GET");
    expect(res.headers.get("access-control-allow-headers")).toBe("mcp-protocol-version");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  test("the MCP endpoint and the APIs get no CORS and still refuse a foreign Origin", async () => {
    const mcp = await post(await env.entraToken("alice"), "customers", { origin: ORIGIN });
    expect(mcp.status).toBe(403);
    expect(await errorCode(mcp)).toBe("ERR_ORIGIN_REFUSED");
    expect(mcp.headers.get("access-control-allow-origin")).toBeNull();
    for (const p of ["/api/approvals", "/healthz", "/approvals"]) {
      const res = await fetch(`${env.gateway}${p}`, { headers: { origin: ORIGIN } });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
    const preflight = await fetch(`${env.gateway}/mcp/customers`, {
      method: "OPTIONS",
      headers: { origin: ORIGIN, "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});

test("the shaped issuers really differ: algorithms and claim layouts", async () => {
  expect(decodeProtectedHeader(await env.okta.token("alice")).alg).toBe("PS256");
  expect(decodeProtectedHeader(await env.keycloak.token("alice")).alg).toBe("ES256");
  expect(decodeJwt(await env.keycloak.token("alice"))).toMatchObject({ realm_access: { roles: ["Engineer"] } });
  expect(decodeJwt(await env.auth0.token("alice"))).toMatchObject({ "https://gatehouse.example/roles": ["Engineer"] });
  expect(decodeJwt(await env.okta.token("alice")).roles).toBeUndefined();
});
