/**
 * Identity configuration through the built gateway process: GATEHOUSE_OIDC_ISSUERS alone (no
 * Entra variables) runs the gateway on a Keycloak-shaped provider, whose tokens reach the API and
 * whose users sign in to the approval page with the same claim mapping; a configuration that
 * would weaken verification is refused at start with ERR_CONFIG_INVALID naming the variable.
 */
import { gatewayHome, type GatewayHome } from "./support/gateway-process";
import { startShapedIssuer, type ShapedIssuer } from "./support/shaped-issuer";

jest.setTimeout(120_000);

let keycloak: ShapedIssuer;
let home: GatewayHome;
let gateway: string;
const provider = () => ({
  name: "keycloak",
  metadata: keycloak.metadata,
  audiences: ["gatehouse"],
  algorithms: ["ES256"],
  claims: { roles: "realm_access.roles" },
  scopes: ["gatehouse:mcp"],
});

beforeAll(async () => {
  [keycloak, home] = await Promise.all([
    startShapedIssuer({ provider: "keycloak", alg: "ES256", audience: "gatehouse" }),
    gatewayHome(),
  ]);
  const started = await home.start({
    GATEHOUSE_OIDC_ISSUERS: JSON.stringify([provider()]),
    GATEHOUSE_APPROVALS_CLIENT_ID: "gatehouse-approvals",
  });
  if (!("url" in started)) throw new Error(`the gateway did not start: ${started.failed}\n${started.proc.output()}`);
  gateway = started.url;
});
afterAll(async () => {
  await home?.stop();
  await keycloak?.stop();
});

test("a Keycloak-only gateway: its tokens reach the API, realm roles mapped", async () => {
  const res = await fetch(`${gateway}/api/approvals`, {
    headers: { authorization: `Bearer ${await keycloak.token("bob")}` },
  });
  expect(res.status).toBe(200);
  const meta = (await (await fetch(`${gateway}/.well-known/oauth-protected-resource/mcp/customers`)).json()) as {
    authorization_servers: string[];
    scopes_supported: string[];
  };
  expect(meta.authorization_servers).toEqual([keycloak.url]);
  expect(meta.scopes_supported).toEqual(["gatehouse:mcp"]);
});

test("the 403 challenge names the provider's scopes", async () => {
  const res = await fetch(`${gateway}/mcp/customers`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${await keycloak.token("carol")}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    }),
  });
  expect(res.status).toBe(403);
  expect(res.headers.get("www-authenticate")).toBe(
    `Bearer error="insufficient_scope", scope="gatehouse:mcp", resource_metadata="${gateway}/.well-known/oauth-protected-resource/mcp/customers"`,
  );
});

test("the approval page signs in with the same provider and its claim mapping", async () => {
  const login = await fetch(`${gateway}/approvals/login?login_hint=bob`, { redirect: "manual" });
  const loginCookie = login.headers
    .getSetCookie()
    .find((c) => c.startsWith("gh_approvals_login="))!
    .split(";")[0];
  const authorize = await fetch(login.headers.get("location")!, { redirect: "manual" });
  const res = await fetch(authorize.headers.get("location")!, { redirect: "manual", headers: { cookie: loginCookie } });
  expect(res.headers.get("location")).toBe("/approvals");
  const session = res.headers
    .getSetCookie()
    .find((c) => c.startsWith("gh_approver="))!
    .split(";")[0];
  const page = await (await fetch(`${gateway}/approvals`, { headers: { cookie: session } })).text();
  expect(page).toContain("bob@gatehouse.local");
});

describe("a configuration that weakens verification is refused at start", () => {
  // Refused while parsing the environment: no issuer is contacted.
  const valid = {
    name: "keycloak",
    metadata: "https://idp.example.com/realms/corp",
    audiences: ["gatehouse"],
    algorithms: ["ES256"],
  };
  const bad: [string, unknown][] = [
    ["HMAC algorithm", [{ ...valid, algorithms: ["HS256"] }]],
    ["alg none", [{ ...valid, algorithms: ["none"] }]],
    ["no audience", [{ ...valid, audiences: [] }]],
    ["plain http to a non-loopback host", [{ ...valid, metadata: "http://idp.example.com/realms/corp" }]],
    ["two providers with one name", [valid, valid]],
    ["tenantIds on a non-Entra provider", [{ ...valid, tenantIds: ["t"] }]],
    [
      "multi-tenant Entra without tenantIds",
      [
        {
          name: "entra2",
          profile: "entra",
          metadata: "https://login.microsoftonline.com/organizations/v2.0",
          audiences: ["api://x"],
        },
      ],
    ],
  ];
  test.each(bad)("%s", async (_what, value) => {
    const r = await home.start({ GATEHOUSE_OIDC_ISSUERS: JSON.stringify(value) });
    expect(r).toMatchObject({ failed: "ERR_CONFIG_INVALID" });
    expect(r.proc.output()).toContain("GATEHOUSE_OIDC_ISSUERS");
  });

  test("not JSON", async () => {
    const r = await home.start({ GATEHOUSE_OIDC_ISSUERS: "keycloak=https://idp" });
    expect(r).toMatchObject({ failed: "ERR_CONFIG_INVALID" });
    expect(r.proc.output()).toContain("GATEHOUSE_OIDC_ISSUERS");
  });

  test("no identity provider at all", async () => {
    const r = await home.start({});
    expect(r).toMatchObject({ failed: "ERR_CONFIG_INVALID" });
    expect(r.proc.output()).toContain("GATEHOUSE_IDENTITY_METADATA");
  });
});
