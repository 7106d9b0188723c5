import { Testing } from "cdktf";
import { AUDITOR_QUERIES } from "../../../stacks/workbooks/auditor-queries";
import { auditorWorkbookJson, workbookGuid } from "../../../stacks/workbooks/auditor-workbook";
import { defaultStack, resourcesOf } from "../support/default-stack";

describe("auditor workbook", () => {
  let workbook: Record<string, unknown>;
  beforeAll(() => {
    const all = Object.values(resourcesOf(Testing.synth(defaultStack()), "azurerm_application_insights_workbook"));
    expect(all).toHaveLength(1);
    workbook = all[0];
  });

  test("is a workbook on the Log Analytics workspace, named by a stable GUID", () => {
    expect(workbook).toMatchObject({
      category: "workbook",
      name: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      source_id: expect.stringContaining("lower(azurerm_log_analytics_workspace."),
    });
    expect(workbookGuid("a")).toBe(workbookGuid("a"));
    expect(workbookGuid("a")).not.toBe(workbookGuid("b"));
  });

  test("data_json holds every query under the time-range parameter", () => {
    const data = JSON.parse(String(workbook.data_json)) as {
      items: { type: number; name: string; content: Record<string, unknown> }[];
      fallbackResourceIds: string[];
    };
    const queryItems = data.items.filter((i) => i.type === 3);
    expect(queryItems.map((i) => i.name)).toEqual(AUDITOR_QUERIES.map((q) => q.id));
    for (const item of queryItems) {
      expect(item.content).toMatchObject({
        timeContextFromParameter: "TimeRange",
        resourceType: "microsoft.operationalinsights/workspaces",
      });
      expect(item.content.query).toBe(AUDITOR_QUERIES.find((q) => q.id === item.name)!.kql);
    }
    expect(data.items.find((i) => i.type === 9)!.content.parameters).toEqual([
      expect.objectContaining({ name: "TimeRange", type: 4 }),
    ]);
    expect(data.fallbackResourceIds).toEqual([expect.stringContaining("azurerm_log_analytics_workspace.")]);
  });
});

describe("auditor workbook across regions (GATEHOUSE_REGIONS)", () => {
  type Item = { type: number; name: string; content: Record<string, unknown> };
  const itemsOf = (synth: string): Item[] => {
    const all = Object.values(resourcesOf(synth, "azurerm_application_insights_workbook"));
    expect(all).toHaveLength(1);
    return (JSON.parse(String(all[0].data_json)) as { items: Item[] }).items;
  };

  test("GIVEN two regions WHEN synthesized THEN every query and the time parameter read both workspaces", () => {
    const synth = Testing.synth(defaultStack({ GATEHOUSE_REGIONS: "westeurope,northeurope" }));
    const workspaces = Object.keys(resourcesOf(synth, "azurerm_log_analytics_workspace")).map(
      (id) => `\${azurerm_log_analytics_workspace.${id}.id}`,
    );
    expect(workspaces).toHaveLength(2);
    const items = itemsOf(synth).filter((i) => i.type === 3 || i.type === 9);
    expect(items.length).toBe(AUDITOR_QUERIES.length + 1);
    for (const item of items) {
      expect([...(item.content.crossComponentResources as string[])].sort()).toEqual([...workspaces].sort());
    }
  });

  test("GIVEN one region THEN the queries run on its workspace alone (no cross-resource list)", () => {
    for (const item of itemsOf(Testing.synth(defaultStack())).filter((i) => i.type === 3))
      expect(item.content).not.toHaveProperty("crossComponentResources");
  });

  test("more workspaces than one cross-workspace query takes are refused", () => {
    const eleven = Array.from({ length: 10 }, (_, i) => `ws-${i}`);
    expect(() => auditorWorkbookJson("ws", AUDITOR_QUERIES, eleven)).toThrow(TypeError);
    expect(() => auditorWorkbookJson("ws", AUDITOR_QUERIES, eleven.slice(1))).not.toThrow();
  });
});
