/**
 * Where the local stack's demo servers are, read from the environment at build time with
 * defaults that work from the repository root. Paths are relative to the agent's working
 * directory (the repository root in the local stack), so the bundle is the same on every machine.
 */
export interface DemoSettings {
  readonly filesCommand: string;
  readonly filesArgs: string[];
  readonly filesDir: string;
  readonly customersUrl: string;
}

export const DEMO_DEFAULTS = {
  GATEHOUSE_DEMO_FILES_COMMAND: "node",
  GATEHOUSE_DEMO_FILES_ENTRY: "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js",
  GATEHOUSE_DEMO_FILES_DIR: ".gatehouse/demo-files",
  GATEHOUSE_DEMO_CUSTOMERS_URL: "http://127.0.0.1:8091/mcp",
} as const;

export function demoSettings(env: NodeJS.ProcessEnv = process.env): DemoSettings {
  const get = (k: keyof typeof DEMO_DEFAULTS) => (env[k] !== undefined && env[k] !== "" ? env[k] : DEMO_DEFAULTS[k]);
  return {
    filesCommand: get("GATEHOUSE_DEMO_FILES_COMMAND"),
    filesArgs: [get("GATEHOUSE_DEMO_FILES_ENTRY")],
    filesDir: get("GATEHOUSE_DEMO_FILES_DIR"),
    customersUrl: get("GATEHOUSE_DEMO_CUSTOMERS_URL"),
  };
}
