/**
 * Several regions from one configuration (GATEHOUSE_REGIONS, docs/decisions/0007): every region
 * complete and uniquely named, no public ingress anywhere, one Front Door with one Private Link
 * origin per region routed by latency and probed on /readyz, and one decision store — the first
 * region's tables — that every region's gateway uses.
 */
import { Testing } from "cdktf";
import { isGatehouseError } from "../../runtime/core/errors";
import { loadConfig } from "../../stacks/config";
import { REGION_LATENCY_SENSITIVITY_MS } from "../../stacks/edge-front-door";
import { defaultStack, NO_EDGE, resourcesOf } from "./support/default-stack";

type R = Record<string, unknown>;
const TWO = { GATEHOUSE_REGIONS: "westeurope,northeurope" };
const values = (synth: string, type: string): R[] => Object.values(resourcesOf(synth, type));
const ref = (type: string, id: string, attr: string): string => `\${${type}.${id}.${attr}}`;
const envOf = (app: R): Map<string, string | undefined> =>
  new Map(
    (app.template as { container: { env: { name: string; value?: string }[] }[] }).container[0].env.map((e) => [
      e.name,
      e.value,
    ]),
  );
const gateways = (synth: string): R[] =>
  values(synth, "azurerm_container_app").filter((a) => (a.tags as R)["gatehouse-role"] === "gateway");

function configProblem(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, { allowPlaceholders: true });
  } catch (e) {
    if (isGatehouseError(e) && e.code === "ERR_CONFIG_INVALID") return e.details.variables as string[];
    throw e;
  }
  throw new Error("expected loadConfig to fail");
}

describe("GATEHOUSE_REGIONS=westeurope,northeurope", () => {
  let synth: string;
  beforeAll(() => {
    // GIVEN two regions WHEN synthesized (the compliance aspect fails synth on a violation)
    synth = Testing.synth(defaultStack(TWO));
  });

  test("each region has its own resource group, network, workspace, audit account, vault, identities, environment, gateway and agent", () => {
    for (const type of [
      "azurerm_resource_group",
      "azurerm_virtual_network",
      "azurerm_log_analytics_workspace",
      "azurerm_application_insights",
      "azurerm_storage_account",
      "azurerm_storage_container",
      "azurerm_storage_container_immutability_policy",
      "azurerm_key_vault",
      "azurerm_user_assigned_identity",
      "azurerm_container_app_environment",
    ]) {
      const all = values(synth, type);
      expect({ type, count: all.length }).toEqual({ type, count: type === "azurerm_user_assigned_identity" ? 4 : 2 });
    }
    expect(
      values(synth, "azurerm_container_app")
        .map((a) => (a.tags as R)["gatehouse-role"])
        .sort(),
    ).toEqual(["agent", "agent", "gateway", "gateway"]);
    expect(
      values(synth, "azurerm_resource_group")
        .map((g) => g.location)
        .sort(),
    ).toEqual(["northeurope", "westeurope"]);
  });

  test("no two resources of a type share a name within a resource group, and globally unique names differ", () => {
    const seen = new Map<string, string>();
    const parsed = JSON.parse(synth) as { resource: Record<string, Record<string, R>> };
    for (const [type, byId] of Object.entries(parsed.resource)) {
      for (const [id, r] of Object.entries(byId)) {
        if (typeof r.name !== "string" || r.name.includes("${")) continue;
        // Globally named (vault, storage, registry) or scoped by group, parent, vault or profile.
        const scope = String(
          r.resource_group_name ??
            r.parent_id ??
            r.key_vault_id ??
            r.cdn_frontdoor_profile_id ??
            r.cdn_frontdoor_origin_group_id ??
            r.scope ??
            r.storage_account_id ??
            r.target_resource_id ??
            r.private_dns_zone_name ??
            "",
        );
        const key = `${type}|${scope}|${r.name}`;
        expect({ key, other: seen.get(key) }).toEqual({ key, other: undefined });
        seen.set(key, id);
      }
    }
    for (const type of [
      "azurerm_key_vault",
      "azurerm_storage_account",
      "azurerm_container_app_environment",
      "azurerm_log_analytics_workspace",
    ]) {
      const names = values(synth, type).map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  test("no public ingress on any app: every environment is internal with public network access disabled, and only gateways are external (to their VNet)", () => {
    for (const env of values(synth, "azurerm_container_app_environment")) {
      expect(env).toEqual(
        expect.objectContaining({ internal_load_balancer_enabled: true, public_network_access: "Disabled" }),
      );
    }
    const external = values(synth, "azurerm_container_app")
      .filter((a) => (a.ingress as R).external_enabled === true)
      .map((a) => (a.tags as R)["gatehouse-role"]);
    expect(external).toEqual(["gateway", "gateway"]);
  });

  test("one Front Door profile; one Private Link origin per region in the gateway's group; latency-based, probed on /readyz", () => {
    expect(values(synth, "azurerm_cdn_frontdoor_profile")).toHaveLength(1);
    const groups = resourcesOf(synth, "azurerm_cdn_frontdoor_origin_group");
    expect(Object.keys(groups)).toHaveLength(1);
    const [groupId, group] = Object.entries(groups)[0];
    expect(group.health_probe).toEqual(expect.objectContaining({ path: "/readyz", protocol: "Https" }));
    expect(group.load_balancing).toEqual(
      expect.objectContaining({ additional_latency_in_milliseconds: REGION_LATENCY_SENSITIVITY_MS }),
    );
    expect(group.session_affinity_enabled).toBe(false);

    const envIds = Object.keys(resourcesOf(synth, "azurerm_container_app_environment"));
    const origins = resourcesOf(synth, "azurerm_cdn_frontdoor_origin");
    expect(Object.keys(origins)).toHaveLength(2);
    const targets = Object.values(origins).map((o) => {
      expect(o).toEqual(
        expect.objectContaining({
          cdn_frontdoor_origin_group_id: ref("azurerm_cdn_frontdoor_origin_group", groupId, "id"),
          priority: 1,
          weight: 1000,
          certificate_name_check_enabled: true,
        }),
      );
      expect(o.private_link).toEqual(expect.objectContaining({ target_type: "managedEnvironments" }));
      return (o.private_link as R).private_link_target_id;
    });
    expect(targets.sort()).toEqual(envIds.map((id) => ref("azurerm_container_app_environment", id, "id")).sort());
    expect(new Set(Object.values(origins).map((o) => o.name)).size).toBe(2);

    const route = values(synth, "azurerm_cdn_frontdoor_route")[0];
    expect((route.cdn_frontdoor_origin_ids as string[]).sort()).toEqual(
      Object.keys(origins)
        .map((id) => ref("azurerm_cdn_frontdoor_origin", id, "id"))
        .sort(),
    );
  });

  test("every gateway checks the one profile's X-Azure-FDID and announces the same public URL", () => {
    const profileId = Object.keys(resourcesOf(synth, "azurerm_cdn_frontdoor_profile"))[0];
    const envs = gateways(synth).map(envOf);
    expect(envs).toHaveLength(2);
    for (const env of envs)
      expect(env.get("GATEHOUSE_FRONT_DOOR_ID")).toBe(ref("azurerm_cdn_frontdoor_profile", profileId, "resource_guid"));
    expect(envs[0].get("GATEHOUSE_PUBLIC_URL")).toBe(envs[1].get("GATEHOUSE_PUBLIC_URL"));
  });

  test("one decision store: the first region's tables, used by every gateway; each region writes its audit chains into its own account", () => {
    const tables = values(synth, "azapi_resource").filter((t) =>
      String(t.type).startsWith("Microsoft.Storage/storageAccounts/tableServices/tables"),
    );
    expect(tables.map((t) => t.name).sort()).toEqual(["approvals", "grants"]);
    const accounts = resourcesOf(synth, "azurerm_storage_account");
    const primaryId = Object.entries(accounts).find(([, a]) => a.location === "westeurope")![0];
    const secondaryId = Object.entries(accounts).find(([, a]) => a.location === "northeurope")![0];
    for (const t of tables)
      expect(t.parent_id).toBe(`${ref("azurerm_storage_account", primaryId, "id")}/tableServices/default`);

    const byRegion = new Map(
      gateways(synth).map((g) => [(g.tags as R).region === "northeurope" ? "secondary" : "primary", envOf(g)]),
    );
    for (const env of byRegion.values())
      expect(env.get("GATEHOUSE_STORAGE_TABLE_URL")).toBe(
        ref("azurerm_storage_account", primaryId, "primary_table_endpoint"),
      );
    expect(byRegion.get("primary")!.get("GATEHOUSE_STORAGE_BLOB_URL")).toBe(
      ref("azurerm_storage_account", primaryId, "primary_blob_endpoint"),
    );
    expect(byRegion.get("secondary")!.get("GATEHOUSE_STORAGE_BLOB_URL")).toBe(
      ref("azurerm_storage_account", secondaryId, "primary_blob_endpoint"),
    );

    // The secondary VNet reaches the decision account's table service over its own private endpoint.
    const decisionEndpoints = values(synth, "azurerm_private_endpoint").filter(
      (e) =>
        e.location === "northeurope" &&
        (e.private_service_connection as R).private_connection_resource_id ===
          ref("azurerm_storage_account", primaryId, "id"),
    );
    expect(decisionEndpoints.map((e) => (e.private_service_connection as R).subresource_names)).toEqual([["table"]]);

    // Both gateways (and nobody else) hold Storage Table Data Contributor on the tables.
    const tableIds = Object.entries(resourcesOf(synth, "azapi_resource"))
      .filter(([, t]) => String(t.type).includes("/tables@"))
      .map(([id]) => ref("azapi_resource", id, "id"));
    const grants = values(synth, "azurerm_role_assignment").filter((a) => tableIds.includes(String(a.scope)));
    expect(grants).toHaveLength(4);
    for (const g of grants) expect(g.role_definition_name).toBe("Storage Table Data Contributor");
    expect(new Set(grants.map((g) => g.principal_id)).size).toBe(2);
  });
});

describe("GATEHOUSE_REGIONS with a private registry (GATEHOUSE_CREATE_ACR=true)", () => {
  test("GIVEN two regions WHEN synthesized THEN each region's VNet reaches the one registry over its own endpoint and linked zone", () => {
    const synth = Testing.synth(defaultStack({ ...TWO, GATEHOUSE_CREATE_ACR: "true" }));
    const registries = Object.keys(resourcesOf(synth, "azurerm_container_registry"));
    expect(registries).toHaveLength(1);
    const registryId = ref("azurerm_container_registry", registries[0], "id");
    const endpoints = values(synth, "azurerm_private_endpoint").filter(
      (pe) => (pe.private_service_connection as R).private_connection_resource_id === registryId,
    );
    const subnets = resourcesOf(synth, "azurerm_subnet");
    const vnetOf = (subnetRef: unknown) =>
      subnets[String(subnetRef).replace(/^\$\{azurerm_subnet\.([^.]+)\.id\}$/, "$1")].virtual_network_name;
    const vnets = Object.keys(resourcesOf(synth, "azurerm_virtual_network"));
    expect(vnets).toHaveLength(2);
    // One endpoint per region, each in that region's VNet.
    expect(endpoints.map((pe) => vnetOf(pe.subnet_id)).sort()).toEqual(
      vnets.map((v) => ref("azurerm_virtual_network", v, "name")).sort(),
    );
    // Each registers in a privatelink.azurecr.io zone of its own, linked to its own VNet.
    const zones = resourcesOf(synth, "azurerm_private_dns_zone");
    const links = values(synth, "azurerm_private_dns_zone_virtual_network_link");
    for (const pe of endpoints) {
      const [zoneRef] = (pe.private_dns_zone_group as { private_dns_zone_ids: string[] }).private_dns_zone_ids;
      const zoneId = zoneRef.replace(/^\$\{azurerm_private_dns_zone\.([^.]+)\.id\}$/, "$1");
      expect(zones[zoneId].name).toBe("privatelink.azurecr.io");
      const vnetName = String(vnetOf(pe.subnet_id));
      expect(links).toContainEqual(
        expect.objectContaining({
          private_dns_zone_name: ref("azurerm_private_dns_zone", zoneId, "name"),
          virtual_network_id: vnetName.replace(/\.name\}$/, ".id}"),
          registration_enabled: false,
        }),
      );
    }
    expect(new Set(endpoints.map((pe) => pe.name)).size).toBe(2);
  });

  test("an existing registry (GATEHOUSE_REGISTRY_ID) gets no endpoint from the stack in any region", () => {
    const synth = Testing.synth(
      defaultStack({
        ...TWO,
        GATEHOUSE_REGISTRY_ID:
          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/contosoreg",
        GATEHOUSE_GATEWAY_IMAGE: "contosoreg.azurecr.io/gatehouse:1",
        GATEHOUSE_AGENT_IMAGE: "contosoreg.azurecr.io/gatehouse:1",
      }),
    );
    expect(values(synth, "azurerm_private_dns_zone").map((z) => z.name)).not.toContain("privatelink.azurecr.io");
  });
});

describe("GATEHOUSE_REGIONS configuration", () => {
  test("Compliance: unset is one region, GATEHOUSE_LOCATION", () => {
    expect(loadConfig({ GATEHOUSE_LOCATION: "swedencentral" }, { allowPlaceholders: true })).toMatchObject({
      location: "swedencentral",
      secondaryRegions: [],
    });
    expect(loadConfig(TWO, { allowPlaceholders: true })).toMatchObject({
      location: "westeurope",
      secondaryRegions: ["northeurope"],
    });
  });

  test("Noncompliance 1: a region listed twice", () => {
    expect(configProblem({ GATEHOUSE_REGIONS: "westeurope,westeurope" })).toContain("GATEHOUSE_REGIONS");
  });

  test("Noncompliance 2: several regions without the edge (nothing would route between them)", () => {
    expect(configProblem({ ...TWO, ...NO_EDGE })).toContain("GATEHOUSE_REGIONS");
  });

  test("Noncompliance 3: GATEHOUSE_LOCATION other than the first region", () => {
    expect(configProblem({ ...TWO, GATEHOUSE_LOCATION: "northeurope" })).toContain("GATEHOUSE_LOCATION");
  });

  test("Noncompliance 4: not a region name", () => {
    expect(configProblem({ GATEHOUSE_REGIONS: "West Europe" })).toContain("GATEHOUSE_REGIONS");
  });

  test("Noncompliance 5: more regions than the auditor workbook can query together (10)", () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `region${i}`).join(",");
    const ten = eleven.slice(0, eleven.lastIndexOf(","));
    expect(
      loadConfig({ GATEHOUSE_REGIONS: ten, GATEHOUSE_LOCATION: "region0" }, { allowPlaceholders: true }),
    ).toMatchObject({ location: "region0" });
    expect(configProblem({ GATEHOUSE_REGIONS: eleven, GATEHOUSE_LOCATION: "region0" })).toContain("GATEHOUSE_REGIONS");
  });
});
