import { Testing } from "cdktf";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { defaultStack, NO_EDGE, resourcesOf } from "./support/default-stack";

describe("network", () => {
  let synthesized: string;
  beforeAll(() => {
    synthesized = Testing.synth(defaultStack());
  });

  test("the environment subnet is delegated to Container Apps", () => {
    expect(synthesized).toHaveResourceWithProperties(Subnet, {
      name: "snet-apps",
      address_prefixes: ["10.40.0.0/23"],
      delegation: [
        expect.objectContaining({
          service_delegation: expect.objectContaining({ name: "Microsoft.App/environments" }),
        }),
      ],
    });
  });

  test("every subnet has an NSG association", () => {
    const subnets = Object.keys(resourcesOf(synthesized, "azurerm_subnet"));
    const associations = Object.values(resourcesOf(synthesized, "azurerm_subnet_network_security_group_association"));
    expect(subnets).toHaveLength(2);
    for (const id of subnets) {
      expect(associations.some((a) => String(a.subnet_id).includes(`azurerm_subnet.${id}.id`))).toBe(true);
    }
  });

  const internetAllows = (synth: string) =>
    Object.values(resourcesOf(synth, "azurerm_network_security_group"))
      .flatMap((n) => n.security_rule as Record<string, unknown>[])
      .filter((r) => r.direction === "Inbound" && r.access === "Allow" && r.source_address_prefix === "Internet");

  test("behind the edge (the default) nothing from the Internet is allowed in: HTTPS only from the VNet (Private Link)", () => {
    expect(internetAllows(synthesized)).toEqual([]);
    const apps = Object.values(resourcesOf(synthesized, "azurerm_network_security_group")).find((n) =>
      String(n.name).endsWith("-apps"),
    )!;
    expect(
      (apps.security_rule as Record<string, unknown>[]).filter(
        (r) => r.direction === "Inbound" && r.access === "Allow",
      ),
    ).toEqual([
      expect.objectContaining({
        source_address_prefix: "VirtualNetwork",
        protocol: "Tcp",
        destination_port_range: "443",
      }),
    ]);
  });

  test("without the edge the only Internet inbound allow is HTTPS", () => {
    expect(internetAllows(Testing.synth(defaultStack(NO_EDGE)))).toEqual([
      expect.objectContaining({ protocol: "Tcp", destination_port_range: "443" }),
    ]);
  });

  test("private DNS zones for Key Vault, blob and table are linked to the VNet", () => {
    for (const zone of [
      "privatelink.vaultcore.azure.net",
      "privatelink.blob.core.windows.net",
      "privatelink.table.core.windows.net",
    ]) {
      expect(synthesized).toHaveResourceWithProperties(PrivateDnsZone, { name: zone });
    }
    expect(Object.keys(resourcesOf(synthesized, "azurerm_private_dns_zone_virtual_network_link"))).toHaveLength(3);
  });

  test("an apps subnet smaller than /27 is refused", () => {
    expect(() => defaultStack({ GATEHOUSE_APPS_SUBNET_CIDR: "10.40.0.0/28" })).toThrow(/\/27 or larger/);
  });
});
