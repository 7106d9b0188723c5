/**
 * The edge as synthesized (GATEHOUSE_EDGE=frontdoor, the default): an internal environment with
 * public network access disabled, Front Door Premium reaching the gateway over Private Link, its
 * WAF in Prevention mode with the managed rule sets and a per-address rate limit, logs to the
 * workspace, and the gateway told the profile's id.
 */
import { Testing } from "cdktf";
import { defaultStack, NO_EDGE, resourcesOf } from "./support/default-stack";

type R = Record<string, unknown>;
const only = (synth: string, type: string): R => {
  const all = Object.values(resourcesOf(synth, type));
  expect(all).toHaveLength(1);
  return all[0];
};
const gatewayEnv = (synth: string): Map<string, string | undefined> => {
  const app = Object.values(resourcesOf(synth, "azurerm_container_app")).find(
    (a) => (a.tags as R)["gatehouse-role"] === "gateway",
  )!;
  return new Map(
    (app.template as { container: { env: { name: string; value?: string }[] }[] }).container[0].env.map((e) => [
      e.name,
      e.value,
    ]),
  );
};

describe("edge: Front Door Premium + WAF over Private Link (the default)", () => {
  let synth: string;
  beforeAll(() => {
    synth = Testing.synth(defaultStack());
  });

  test("the environment is internal with public network access disabled (a workload-profiles environment)", () => {
    const env = only(synth, "azurerm_container_app_environment");
    expect(env).toEqual(
      expect.objectContaining({ internal_load_balancer_enabled: true, public_network_access: "Disabled" }),
    );
    expect(env.workload_profile).toEqual([expect.objectContaining({ workload_profile_type: "Consumption" })]);
  });

  test("no app has public ingress: the only external ingress (the gateway's) is inside the internal environment", () => {
    const apps = Object.values(resourcesOf(synth, "azurerm_container_app"));
    const external = apps
      .filter((a) => (a.ingress as R).external_enabled === true)
      .map((a) => (a.tags as R)["gatehouse-role"]);
    expect(external).toEqual(["gateway"]);
    const envLogicalId = Object.keys(resourcesOf(synth, "azurerm_container_app_environment"))[0];
    for (const a of apps)
      expect(a.container_app_environment_id).toBe(`\${azurerm_container_app_environment.${envLogicalId}.id}`);
  });

  test("a Premium profile with its logs in the workspace", () => {
    const profile = only(synth, "azurerm_cdn_frontdoor_profile");
    expect(profile).toEqual(expect.objectContaining({ sku_name: "Premium_AzureFrontDoor", name: "afd-gh-prod" }));
    const profileId = Object.keys(resourcesOf(synth, "azurerm_cdn_frontdoor_profile"))[0];
    const diagnostics = Object.values(resourcesOf(synth, "azurerm_monitor_diagnostic_setting")).filter(
      (d) => d.target_resource_id === `\${azurerm_cdn_frontdoor_profile.${profileId}.id}`,
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({
        enabled_log: [{ category_group: "allLogs" }],
        log_analytics_workspace_id: expect.stringContaining("azurerm_log_analytics_workspace"),
      }),
    ]);
  });

  test("the origin is the gateway's host, reached over Private Link to the environment", () => {
    const envLogicalId = Object.keys(resourcesOf(synth, "azurerm_container_app_environment"))[0];
    const origin = only(synth, "azurerm_cdn_frontdoor_origin");
    expect(origin).toEqual(
      expect.objectContaining({
        host_name: expect.stringMatching(
          /^ca-gh-prod-gateway\.\$\{azurerm_container_app_environment\..*\.default_domain\}$/,
        ),
        origin_host_header: origin.host_name,
        certificate_name_check_enabled: true,
        private_link: expect.objectContaining({
          private_link_target_id: `\${azurerm_container_app_environment.${envLogicalId}.id}`,
          target_type: "managedEnvironments",
          location: `\${azurerm_container_app_environment.${envLogicalId}.location}`,
        }),
      }),
    );
    expect(only(synth, "azurerm_cdn_frontdoor_origin_group").health_probe).toEqual(
      expect.objectContaining({ path: "/readyz", protocol: "Https" }),
    );
  });

  test("the route takes HTTPS only and caches nothing", () => {
    const route = only(synth, "azurerm_cdn_frontdoor_route");
    expect(route).toEqual(
      expect.objectContaining({
        supported_protocols: ["Https"],
        forwarding_protocol: "HttpsOnly",
        patterns_to_match: ["/*"],
      }),
    );
    expect(route.cache).toBeUndefined();
  });

  test("the WAF: Prevention mode, Default Rule Set and Bot Manager blocking, a rate limit per client socket address, on the endpoint", () => {
    const waf = only(synth, "azurerm_cdn_frontdoor_firewall_policy");
    expect(waf).toEqual(
      expect.objectContaining({ mode: "Prevention", enabled: true, sku_name: "Premium_AzureFrontDoor" }),
    );
    expect(waf.managed_rule).toEqual([
      expect.objectContaining({ type: "Microsoft_DefaultRuleSet", action: "Block" }),
      expect.objectContaining({ type: "Microsoft_BotManagerRuleSet", action: "Block" }),
    ]);
    expect(waf.custom_rule).toEqual([
      expect.objectContaining({
        type: "RateLimitRule",
        action: "Block",
        rate_limit_duration_in_minutes: 1,
        rate_limit_threshold: 600,
        match_condition: [expect.objectContaining({ match_variable: "SocketAddr", operator: "IPMatch" })],
      }),
    ]);
    const wafId = Object.keys(resourcesOf(synth, "azurerm_cdn_frontdoor_firewall_policy"))[0];
    const endpointId = Object.keys(resourcesOf(synth, "azurerm_cdn_frontdoor_endpoint"))[0];
    const firewall = (only(synth, "azurerm_cdn_frontdoor_security_policy").security_policies as { firewall: R })
      .firewall;
    expect(firewall.cdn_frontdoor_firewall_policy_id).toBe(`\${azurerm_cdn_frontdoor_firewall_policy.${wafId}.id}`);
    expect(JSON.stringify(firewall.association)).toContain(`azurerm_cdn_frontdoor_endpoint.${endpointId}.id`);
  });

  test("the gateway checks the profile's X-Azure-FDID and answers on Front Door's host", () => {
    const env = gatewayEnv(synth);
    expect(env.get("GATEHOUSE_FRONT_DOOR_ID")).toMatch(/^\$\{azurerm_cdn_frontdoor_profile\.[^.]+\.resource_guid\}$/);
    expect(env.get("GATEHOUSE_PUBLIC_URL")).toMatch(
      /^https:\/\/\$\{azurerm_cdn_frontdoor_endpoint\.[^.]+\.host_name\}$/,
    );
    const outputs = JSON.parse(synth).output as Record<string, { value: string }>;
    expect(outputs.front_door_id.value).toMatch(/resource_guid/);
  });

  test("the rate limit follows GATEHOUSE_EDGE_RATE_LIMIT_PER_MINUTE", () => {
    const waf = only(
      Testing.synth(defaultStack({ GATEHOUSE_EDGE_RATE_LIMIT_PER_MINUTE: "1200" })),
      "azurerm_cdn_frontdoor_firewall_policy",
    );
    expect((waf.custom_rule as R[])[0].rate_limit_threshold).toBe(1200);
    expect(() => defaultStack({ GATEHOUSE_EDGE_RATE_LIMIT_PER_MINUTE: "5" })).toThrow(
      expect.objectContaining({
        code: "ERR_CONFIG_INVALID",
        details: { variables: ["GATEHOUSE_EDGE_RATE_LIMIT_PER_MINUTE"] },
      }),
    );
  });
});

describe("without the edge (GATEHOUSE_EDGE=none, dev only)", () => {
  test("no Front Door, the environment's public ingress, and no FDID check", () => {
    const synth = Testing.synth(defaultStack(NO_EDGE));
    expect(Object.keys(JSON.parse(synth).resource).filter((t) => t.startsWith("azurerm_cdn_"))).toEqual([]);
    expect(only(synth, "azurerm_container_app_environment")).toEqual(
      expect.objectContaining({ internal_load_balancer_enabled: false }),
    );
    expect(gatewayEnv(synth).get("GATEHOUSE_FRONT_DOOR_ID")).toBeUndefined();
  });
});
