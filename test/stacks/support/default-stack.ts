/**
 * The default stack, as `npm run synth` builds it without configuration, over a small sealed
 * bundle (the stacks only need its version and the credential secret names).
 */
import { Testing } from "cdktf";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import type { PolicyBundle } from "../../../runtime/core/policy-model/schema";
import { loadConfig, type GatehouseConfig } from "../../../stacks/config";
import { GatehouseStack } from "../../../stacks/gatehouse-stack";

export function testBundleBody() {
  return {
    schemaVersion: 1,
    servers: [
      {
        name: "customers",
        transport: { type: "http" as const, url: "https://customers.internal.example/mcp" },
        credentials: [
          {
            secretName: "customers-api-key",
            inject: { type: "header" as const, name: "Authorization", prefix: "Bearer " },
          },
        ],
      },
    ],
    access: [
      { id: "engineers", principals: { roles: ["Engineer"] }, servers: ["customers"], mode: "standing" as const },
    ],
  };
}

export function testBundle(): PolicyBundle {
  return sealBundle(testBundleBody());
}

/** A dev deployment without the edge (GATEHOUSE_EDGE=none needs its reason). */
export const NO_EDGE: NodeJS.ProcessEnv = {
  GATEHOUSE_EDGE: "none",
  GATEHOUSE_EDGE_NONE_REASON: "test: the public-ingress topology of a dev deployment",
};

export function testConfig(env: NodeJS.ProcessEnv = {}): GatehouseConfig {
  return loadConfig(env, { allowPlaceholders: true });
}

export function defaultStack(env: NodeJS.ProcessEnv = {}): GatehouseStack {
  return new GatehouseStack(Testing.app(), "gatehouse", { config: testConfig(env), policyBundle: testBundle() });
}

/** Resources of one type in a synthesized stack, by logical id. */
export function resourcesOf(synthesized: string, type: string): Record<string, Record<string, unknown>> {
  const parsed = JSON.parse(synthesized) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  return parsed.resource?.[type] ?? {};
}
