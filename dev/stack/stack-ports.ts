/**
 * Ports of the local stack. Fixed by default so URLs (and the issuer named in tokens) stay the
 * same across restarts; `GATEHOUSE_PORT=0` makes every default a free port (tests, a second stack).
 */
import { z } from "zod";

const Port = z.coerce.number().int().min(0).max(65535);

export const StackPortsEnvSchema = z.object({
  GATEHOUSE_PORT: Port.default(8080),
  GATEHOUSE_DEV_AGENT_PORT: Port.optional(),
  GATEHOUSE_DEV_ISSUER_PORT: Port.optional(),
  GATEHOUSE_DEMO_CUSTOMERS_PORT: Port.optional(),
  GATEHOUSE_DEV_AZURITE_BLOB_PORT: Port.optional(),
  GATEHOUSE_DEV_AZURITE_TABLE_PORT: Port.optional(),
});

export interface StackPorts {
  readonly gateway: number;
  readonly agent: number;
  readonly issuer: number;
  readonly customers: number;
  readonly azuriteBlob: number;
  readonly azuriteTable: number;
}

/** Which variable moves which port (for error messages). */
export const PORT_VARIABLES: Record<keyof StackPorts, string> = {
  gateway: "GATEHOUSE_PORT",
  agent: "GATEHOUSE_DEV_AGENT_PORT",
  issuer: "GATEHOUSE_DEV_ISSUER_PORT",
  customers: "GATEHOUSE_DEMO_CUSTOMERS_PORT",
  azuriteBlob: "GATEHOUSE_DEV_AZURITE_BLOB_PORT",
  azuriteTable: "GATEHOUSE_DEV_AZURITE_TABLE_PORT",
};

export function stackPortsFromEnv(env: NodeJS.ProcessEnv = process.env): StackPorts {
  const parsed = StackPortsEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `invalid configuration: ${String(issue.path[0])} must be a port number (0-65535; 0 = any free port)`,
    );
  }
  const e = parsed.data;
  const free = e.GATEHOUSE_PORT === 0;
  const pick = (v: number | undefined, fixed: number): number => v ?? (free ? 0 : fixed);
  return {
    gateway: e.GATEHOUSE_PORT,
    agent: pick(e.GATEHOUSE_DEV_AGENT_PORT, 8081),
    issuer: pick(e.GATEHOUSE_DEV_ISSUER_PORT, 8090),
    customers: pick(e.GATEHOUSE_DEMO_CUSTOMERS_PORT, 8091),
    azuriteBlob: pick(e.GATEHOUSE_DEV_AZURITE_BLOB_PORT, 10000),
    azuriteTable: pick(e.GATEHOUSE_DEV_AZURITE_TABLE_PORT, 10002),
  };
}
