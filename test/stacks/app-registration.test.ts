/**
 * GATEHOUSE_CREATE_APP_REGISTRATION=true (off by default): the gateway's app registration through
 * the azuread provider, with the three app roles, the approval page's Web redirect URI, assignment
 * required, and its client secret delivered to the gateway through Key Vault only.
 */
import { Testing } from "cdktf";
import { defaultStack, resourcesOf } from "./support/default-stack";

describe("app registration", () => {
  test("off by default: no azuread provider or resource", () => {
    const synthesized = JSON.parse(Testing.synth(defaultStack()));
    expect(synthesized.provider.azuread).toBeUndefined();
    expect(Object.keys(synthesized.resource).filter((t) => t.startsWith("azuread_"))).toEqual([]);
  });

  describe("created", () => {
    let synthesized: string;
    beforeAll(() => {
      synthesized = Testing.synth(defaultStack({ GATEHOUSE_CREATE_APP_REGISTRATION: "true" }));
    });

    test("the API: identifier URI = audience, v2 tokens, the three roles, the approval page's Web redirect URI", () => {
      const [app] = Object.values(resourcesOf(synthesized, "azuread_application"));
      expect(app.identifier_uris).toEqual(["api://gatehouse"]);
      expect(app.api).toEqual(expect.objectContaining({ requested_access_token_version: 2 }));
      const roles = app.app_role as { value: string; id: string; allowed_member_types: string[] }[];
      expect(roles.map((r) => r.value)).toEqual(["Engineer", "Approver", "Auditor"]);
      expect(new Set(roles.map((r) => r.id)).size).toBe(3);
      expect(roles.find((r) => r.value === "Engineer")!.allowed_member_types).toEqual(["User", "Application"]);
      // The public URL: Front Door's endpoint (the edge is on by default).
      expect((app.web as { redirect_uris: string[] }).redirect_uris).toEqual([
        expect.stringMatching(
          /^https:\/\/\$\{azurerm_cdn_frontdoor_endpoint\.[^.]+\.host_name\}\/approvals\/callback$/,
        ),
      ]);
    });

    test("assignment is required", () => {
      expect(Object.values(resourcesOf(synthesized, "azuread_service_principal"))).toEqual([
        expect.objectContaining({ app_role_assignment_required: true }),
      ]);
    });

    test("the gateway signs approvers in with the created client; its secret goes to Key Vault, never to app settings", () => {
      const app = Object.values(resourcesOf(synthesized, "azurerm_container_app")).find(
        (a) => (a.tags as Record<string, string>)["gatehouse-role"] === "gateway",
      )!;
      const env = (app.template as { container: { env: { name: string; value?: string; secret_name?: string }[] }[] })
        .container[0].env;
      expect(env.find((e) => e.name === "GATEHOUSE_APPROVALS_CLIENT_ID")?.value).toMatch(
        /^\$\{azuread_application\..*\.client_id\}$/,
      );
      expect(env.find((e) => e.name === "GATEHOUSE_APPROVALS_CLIENT_SECRET")).toEqual({
        name: "GATEHOUSE_APPROVALS_CLIENT_SECRET",
        secret_name: "gatehouse-approvals-client-secret",
      });
      expect(JSON.stringify(env)).not.toContain("azuread_application_password");
      const secret = Object.values(resourcesOf(synthesized, "azapi_resource")).find(
        (r) => r.name === "approvals-client-secret",
      )!;
      expect(JSON.stringify(secret.sensitive_body)).toMatch(/azuread_application_password\..*\.value/);
      expect(secret.sensitive_body_version).toBeDefined();
    });
  });

  test("refused with a given client id, or an audience that is not an Application ID URI", () => {
    expect(() =>
      defaultStack({
        GATEHOUSE_CREATE_APP_REGISTRATION: "true",
        GATEHOUSE_APPROVALS_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
      }),
    ).toThrow(
      expect.objectContaining({
        code: "ERR_CONFIG_INVALID",
        details: { variables: ["GATEHOUSE_APPROVALS_CLIENT_ID"] },
      }),
    );
    expect(() =>
      defaultStack({
        GATEHOUSE_CREATE_APP_REGISTRATION: "true",
        GATEHOUSE_AUDIENCE: "11111111-2222-3333-4444-555555555555",
      }),
    ).toThrow(expect.objectContaining({ code: "ERR_CONFIG_INVALID", details: { variables: ["GATEHOUSE_AUDIENCE"] } }));
  });
});
