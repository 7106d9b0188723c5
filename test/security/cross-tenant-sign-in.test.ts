/**
 * Attack: a user of another Entra tenant signs in to a multi-tenant gateway (issue 12, item 4).
 * The issuer is Entra-shaped and multi-tenant (discovery issuer `.../{tenantid}/v2.0`), one key
 * signs every tenant's tokens, as Entra does. Through the built gateway process:
 * - the approval page's OIDC callback refuses an id_token of a tenant not in GATEHOUSE_TENANT_IDS
 *   (no session cookie; the refusal is audited), and admits the allowed tenant's approver;
 * - the bearer API refuses the other tenant's access token;
 * - the gateway refuses to start on multi-tenant metadata without GATEHOUSE_TENANT_IDS, whether
 *   the metadata URL says so (common/organizations) or only its discovery document does.
 */
import { DEMO } from "../../dev/local-issuer-launcher";
import { gatewayHome, type GatewayHome } from "../integration/identity/support/gateway-process";
import { startShapedIssuer, type ShapedIssuer } from "../integration/identity/support/shaped-issuer";

jest.setTimeout(120_000);

const OTHER_TENANT = "0bad0000-0000-4000-8000-0000000000ff";
let issuer: ShapedIssuer;
let home: GatewayHome;
let gateway: string;

beforeAll(async () => {
  [issuer, home] = await Promise.all([
    startShapedIssuer({
      provider: "entra",
      multiTenant: true,
      users: {
        mallory: {
          oid: "3a110000-0000-4000-8000-0000000000aa",
          username: "mallory@evil.example",
          roles: ["Approver"],
          tid: OTHER_TENANT,
        },
      },
    }),
    gatewayHome(),
  ]);
  const started = await home.start({
    GATEHOUSE_IDENTITY_METADATA: issuer.metadata,
    GATEHOUSE_AUDIENCE: DEMO.audience,
    GATEHOUSE_TENANT_IDS: DEMO.tenantId,
  });
  if (!("url" in started)) throw new Error(`the gateway did not start: ${started.failed}`);
  gateway = started.url;
});
afterAll(async () => {
  await home?.stop();
  await issuer?.stop();
});

const cookieOf = (res: Response, name: string): string | null => {
  const c = res.headers.getSetCookie().find((x) => x.startsWith(`${name}=`) && !x.startsWith(`${name}=;`));
  return c ? c.split(";")[0] : null;
};

/** The page's sign-in as the browser would do it: login → issuer /authorize (login_hint) → callback. */
async function signIn(user: string): Promise<{ location: string; session: string | null }> {
  const login = await fetch(`${gateway}/approvals/login?login_hint=${user}`, { redirect: "manual" });
  expect(login.status).toBe(302);
  const loginCookie = cookieOf(login, "gh_approvals_login");
  const authorize = await fetch(login.headers.get("location")!, { redirect: "manual" });
  const callback = authorize.headers.get("location")!;
  expect(callback.startsWith(`${gateway}/approvals/callback?`)).toBe(true);
  const res = await fetch(callback, { redirect: "manual", headers: { cookie: loginCookie ?? "" } });
  expect(res.status).toBe(303);
  return { location: res.headers.get("location")!, session: cookieOf(res, "gh_approver") };
}

test("the approval page refuses an id_token from a tenant that is not allowed", async () => {
  const mallory = await signIn("mallory");
  expect(mallory.location).toBe("/approvals?signin=failed");
  expect(mallory.session).toBeNull();
  const record = await home.waitForRecord(
    (r) => r.kind === "http.refused" && r.action?.method === "GET /approvals/callback",
  );
  expect(record?.decision).toMatchObject({ outcome: "denied", code: "ERR_AUTH_INVALID" });
  expect(JSON.stringify(record)).not.toContain("mallory");
});

test("the approval page admits the allowed tenant's approver", async () => {
  const bob = await signIn("bob");
  expect(bob.location).toBe("/approvals");
  expect(bob.session).not.toBeNull();
  const page = await fetch(`${gateway}/approvals`, { headers: { cookie: bob.session! } });
  expect(await page.text()).toContain("bob@gatehouse.local");
});

test("the bearer API refuses the other tenant's access token", async () => {
  const token = await issuer.token("mallory");
  const res = await fetch(`${gateway}/api/approvals`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(401);
  const ok = await fetch(`${gateway}/api/approvals`, {
    headers: { authorization: `Bearer ${await issuer.token("bob")}` },
  });
  expect(ok.status).toBe(200);
});

describe("bearer tokens: the issuer must be the allowed tenant's, in either Entra token version", () => {
  const api = async (token: string) =>
    (await fetch(`${gateway}/api/approvals`, { headers: { authorization: `Bearer ${token}` } })).status;
  test.each([
    ["v1 (sts.windows.net) of the allowed tenant", DEMO.tenantId, `https://sts.windows.net/${DEMO.tenantId}/`, 200],
    [
      "v2 (login.microsoftonline.com) of the allowed tenant",
      DEMO.tenantId,
      `https://login.microsoftonline.com/${DEMO.tenantId}/v2.0`,
      200,
    ],
    ["v1 of another tenant", OTHER_TENANT, `https://sts.windows.net/${OTHER_TENANT}/`, 401],
    [
      "the allowed tid under another tenant's issuer",
      DEMO.tenantId,
      `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`,
      401,
    ],
  ])("%s", async (_what, tid, iss, status) => {
    expect(await api(await issuer.token("bob", { tid, iss }))).toBe(status);
  });
});

test("multi-tenant discovery without GATEHOUSE_TENANT_IDS: the gateway refuses to start", async () => {
  const r = await home.start({ GATEHOUSE_IDENTITY_METADATA: issuer.metadata, GATEHOUSE_AUDIENCE: DEMO.audience });
  expect(r).toMatchObject({ failed: "ERR_CONFIG_INVALID" });
  expect(r.proc.output()).toContain("GATEHOUSE_TENANT_IDS");
});

test.each(["common", "organizations"])(
  "Entra %s metadata without GATEHOUSE_TENANT_IDS: refused before any network call",
  async (authority) => {
    const r = await home.start({
      GATEHOUSE_IDENTITY_METADATA: `https://login.microsoftonline.com/${authority}/v2.0/.well-known/openid-configuration`,
      GATEHOUSE_AUDIENCE: DEMO.audience,
    });
    expect(r).toMatchObject({ failed: "ERR_CONFIG_INVALID" });
    expect(r.proc.output()).toContain("GATEHOUSE_TENANT_IDS");
  },
);
