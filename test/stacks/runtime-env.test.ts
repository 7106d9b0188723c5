/**
 * The apps' env maps are typed against the runtime's schemas (stacks/runtime-env.ts), so `npm run
 * typecheck` refuses a variable the runtime does not read; this test checks the same on the
 * synthesized stack, through the schemas themselves.
 */
import { Testing } from "cdktf";
import { GatewayEnvSchema } from "../../runtime/core/config/gateway-config";
import { AgentEnvSchema } from "../../runtime/core/config/agent-config";
import type { GatewayEnv } from "../../stacks/runtime-env";
import { defaultStack, resourcesOf } from "./support/default-stack";

/** Read by @azure/identity, not by our schemas. */
const AZURE_SDK = ["AZURE_CLIENT_ID"];

function envNames(synthesized: string, role: string): string[] {
  const app = Object.values(resourcesOf(synthesized, "azurerm_container_app")).find(
    (a) => (a.tags as Record<string, string>)["gatehouse-role"] === role,
  )!;
  return (app.template as { container: { env: { name: string }[] }[] }).container[0].env.map((e) => e.name);
}

test("every variable the stack sets on an app is one its runtime reads", () => {
  const synthesized = Testing.synth(defaultStack());
  for (const [role, schema] of [
    ["gateway", GatewayEnvSchema],
    ["agent", AgentEnvSchema],
  ] as const) {
    const known = new Set([...Object.keys(schema.shape), ...AZURE_SDK]);
    const names = envNames(synthesized, role);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  }
  expect(envNames(synthesized, "gateway")).not.toContain("GATEHOUSE_TENANT_ID");
});

test("the type refuses a variable the gateway does not read (checked by npm run typecheck)", () => {
  // @ts-expect-error GATEHOUSE_TENANT_ID is not in GatewayEnvSchema: the gateway reads GATEHOUSE_TENANT_IDS.
  const env: GatewayEnv = { GATEHOUSE_TENANT_ID: "t" };
  expect(env).toBeDefined();
});
