/**
 * startTelemetry in fresh child processes (it patches modules as they load). Needs a build:
 * `npx tsc -p tsconfig.build.json`. Nothing here reaches Azure: the "on" cases use a connection
 * string whose ingestion endpoint is a closed loopback port, and statsbeat/SDK stats are off.
 */
import http from "node:http";
import path from "node:path";
import { closeServers, listenOnLoopback } from "../../support/loopback-server";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const child = path.join(__dirname, "telemetry-child.js");
const run = promisify(execFile);

async function runChild(
  mode: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{
  enabled: boolean;
  authentication: string;
  monitorLoaded: boolean;
  captured: { body: string; attributes: Record<string, unknown>; service?: string }[];
}> {
  const env = {
    ...process.env,
    GATEHOUSE_LOG_LEVEL: "info",
    APPLICATION_INSIGHTS_NO_STATSBEAT: "true",
    APPLICATIONINSIGHTS_SDKSTATS_DISABLED: "true",
    ...extraEnv,
  };
  const { stdout } = await run(process.execPath, [child, mode], { env, timeout: 30000 });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

describe("startTelemetry", () => {
  test("without a connection string: no exporter, the Azure Monitor SDK is never loaded, rejections do not crash", async () => {
    const r = await runChild("off");
    expect(r).toMatchObject({ enabled: false, monitorLoaded: false, captured: [] });
  });

  test.each(["azure-first", "winston-first"])(
    "with a connection string (%s): audit log lines reach the OTel log pipeline with their fields",
    async (mode) => {
      const r = await runChild(mode);
      expect(r.enabled).toBe(true);
      const audit = r.captured.filter((c) => c.body === "gatehouse.audit");
      expect(audit).toHaveLength(1);
      expect(audit[0].attributes).toMatchObject({ chainId: "c-1", seq: 7, kind: "mcp.request" });
    },
  );

  /**
   * Application Insights has local auth off in the deployed stack: ingestion must carry an Entra
   * token of the app's user-assigned identity. Container Apps serves managed-identity tokens on
   * IDENTITY_ENDPOINT (header X-IDENTITY-HEADER); a loopback stand-in records what is asked of it.
   */
  test("with a managed identity client id: the exporter asks the identity endpoint for that identity's Azure Monitor token", async () => {
    const asked: { clientId: string | null; resource: string | null; header: string | undefined }[] = [];
    const identity = http.createServer((req, res) => {
      const u = new URL(req.url ?? "/", "http://127.0.0.1");
      asked.push({
        clientId: u.searchParams.get("client_id"),
        resource: u.searchParams.get("resource"),
        header: req.headers["x-identity-header"] as string | undefined,
      });
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          access_token: "stand-in-token",
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource: u.searchParams.get("resource"),
          token_type: "Bearer",
          client_id: u.searchParams.get("client_id"),
        }),
      );
    });
    const { server, url } = await listenOnLoopback(identity);
    try {
      const msi = {
        IDENTITY_ENDPOINT: `${url}/msi/token`,
        IDENTITY_HEADER: "stand-in-header",
        AZURE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
      };
      const r = await runChild("entra", msi);
      expect(r).toMatchObject({ enabled: true, authentication: "entra" });
      expect(asked.length).toBeGreaterThan(0);
      expect(asked[0]).toEqual({
        clientId: msi.AZURE_CLIENT_ID,
        resource: expect.stringContaining("monitor.azure.com"),
        header: "stand-in-header",
      });

      asked.length = 0;
      const without = await runChild("azure-first", msi); // same environment, no client id passed: no Entra credential
      expect(without.authentication).toBe("instrumentation-key");
      expect(asked).toEqual([]);
    } finally {
      await closeServers(server);
    }
  });
});
