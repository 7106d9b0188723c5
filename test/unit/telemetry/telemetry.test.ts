/**
 * startTelemetry in fresh child processes (it patches modules as they load). Needs a build:
 * `npx tsc -p tsconfig.build.json`. Nothing here reaches Azure: the "on" cases use a connection
 * string whose ingestion endpoint is a closed loopback port, and statsbeat/SDK stats are off.
 */
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const child = path.join(__dirname, "telemetry-child.js");
const run = promisify(execFile);

async function runChild(mode: string): Promise<{ enabled: boolean; monitorLoaded: boolean; captured: { body: string; attributes: Record<string, unknown>; service?: string }[] }> {
  const env = { ...process.env, GATEHOUSE_LOG_LEVEL: "info", APPLICATION_INSIGHTS_NO_STATSBEAT: "true", APPLICATIONINSIGHTS_SDKSTATS_DISABLED: "true" };
  const { stdout } = await run(process.execPath, [child, mode], { env, timeout: 30000 });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

describe("startTelemetry", () => {
  test("without a connection string: no exporter, the Azure Monitor SDK is never loaded, rejections do not crash", async () => {
    const r = await runChild("off");
    expect(r).toMatchObject({ enabled: false, monitorLoaded: false, captured: [] });
  });

  test.each(["azure-first", "winston-first"])("with a connection string (%s): audit log lines reach the OTel log pipeline with their fields", async (mode) => {
    const r = await runChild(mode);
    expect(r.enabled).toBe(true);
    const audit = r.captured.filter((c) => c.body === "gatehouse.audit");
    expect(audit).toHaveLength(1);
    expect(audit[0].attributes).toMatchObject({ chainId: "c-1", seq: 7, kind: "mcp.request" });
  });
});
