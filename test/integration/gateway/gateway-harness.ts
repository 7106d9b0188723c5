/**
 * Real components for the gateway tests: Azurite (audit), the local OIDC issuer, server-everything
 * over Streamable HTTP (bound to loopback), server-filesystem over stdio, the agent and the
 * gateway apps on loopback ports. Everything started here is stopped by stop().
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { startLocalIssuer, DEMO, type LocalIssuer } from "../../../dev/local-issuer-launcher";
import { launch, type LaunchedProcess } from "../../../dev/process-launcher";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import type { PolicyBundle } from "../../../runtime/core/policy-model/schema";
import { repoRoot } from "../../../runtime/core/repo-root";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { PolicyEngine } from "../../../runtime/core/policy/policy-engine";
import { createMasker } from "../../../runtime/core/masking/masker";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import type { AuditSink } from "../../../runtime/core/audit/audit-sink";
import { SessionSealer } from "../../../runtime/core/mcp/session-envelope";
import { loadGatewayConfig, type GatewayConfig } from "../../../runtime/core/config/gateway-config";
import {
  composeGateway,
  type ComposedGateway,
  type GatewayOverrides as ComposeOverrides,
} from "../../../runtime/gateway/compose-gateway";
import type { GatewayDeps } from "../../../runtime/gateway/gateway-deps";
import { createAgentApp, type AgentApp } from "../../../runtime/agent/agent-app";
import { GatewayTokenVerifier } from "../../../runtime/agent/gateway-token-verifier";
import { DevEnvCredentialProvider } from "../../../runtime/agent/credential-provider";

export const PRELOAD = path.join(repoRoot(), "test", "conformance", "support", "bind-loopback.cjs");

export async function startEverything(): Promise<{ url: string; proc: LaunchedProcess }> {
  const proc = await launch({
    name: "server-everything",
    command: process.execPath,
    args: [
      "--require",
      PRELOAD,
      path.join(repoRoot(), "node_modules/@modelcontextprotocol/server-everything/dist/index.js"),
      "streamableHttp",
    ],
    env: { ...process.env, PORT: "0" },
    ready: /loopback bound (127\.0\.0\.1:\d+)/,
  });
  return { url: `http://${proc.match[1]}/mcp`, proc };
}

export async function listen(app: {
  listen(port: number, host: string): http.Server;
}): Promise<{ url: string; server: http.Server }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

export interface Harness {
  readonly issuer: LocalIssuer;
  readonly azurite: AzuriteInstance;
  readonly blobService: BlobServiceClient;
  readonly bundle: PolicyBundle;
  readonly gatewayUrl: string;
  readonly deps: GatewayDeps;
  readonly filesDir: string;
  readonly agent: AgentApp;
  token(user: string, extra?: Record<string, string>): Promise<string>;
  /** Another gateway over the same components with config overrides (rate limit, audit); its URL. */
  extraGateway(over: GatewayOverrides): Promise<string>;
  /** Another gateway, composed as the process composes it (composeGateway), stopped with the harness. */
  gateway(over: GatewayOverrides): Promise<ComposedGateway>;
  stop(): Promise<void>;
}

/** Components to replace, and configuration (edge limits, timeouts) over the harness's environment. */
export type GatewayOverrides = ComposeOverrides & { config?: Partial<GatewayConfig> };

export type BundleBuilder = (servers: { everythingUrl: string; filesDir: string }) => unknown;

export async function startHarness(buildBundle: BundleBuilder): Promise<Harness> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-gw-"));
  const filesDir = path.join(tmp, "files");
  fs.mkdirSync(filesDir);
  const [issuer, azurite, everything] = await Promise.all([
    startLocalIssuer(),
    startAzurite({ location: path.join(tmp, "azurite") }),
    startEverything(),
  ]);
  const servers: http.Server[] = [];
  const sinks: AuditSink[] = [];
  const bundle = sealBundle(buildBundle({ everythingUrl: everything.url, filesDir }));
  const signer = await LocalSigner.create(path.join(tmp, "signing-key.json"));
  const agent = createAgentApp({
    bundle,
    verifier: new GatewayTokenVerifier(await signer.publicJwk()),
    credentials: new DevEnvCredentialProvider({}),
  });
  const agentListening = await listen(agent.app);
  servers.push(agentListening.server);
  const blobService = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const policy = new PolicyEngine(bundle);
  const audit = await openBlobAuditSink({
    blobService,
    chainId: "gateway-test",
    policyVersion: () => bundle.version,
    maxBatchDelayMs: 2,
  });
  sinks.push(audit);
  const sessions = SessionSealer.ephemeral();

  // The gateway's own configuration, read the way the process reads it; components shared by every gateway here.
  const signingKeyFile = path.join(tmp, "signing-key.json");
  fs.writeFileSync(path.join(tmp, "bundle.json"), JSON.stringify(bundle));
  const loaded = loadGatewayConfig({
    GATEHOUSE_HOST: "127.0.0.1",
    GATEHOUSE_PORT: "0",
    GATEHOUSE_IDENTITY_METADATA: `${issuer.url}/.well-known/openid-configuration`,
    GATEHOUSE_AUDIENCE: DEMO.audience,
    GATEHOUSE_TENANT_IDS: DEMO.tenantId,
    GATEHOUSE_AGENT_URL: agentListening.url,
    GATEHOUSE_POLICY_FILE: path.join(tmp, "bundle.json"),
    GATEHOUSE_POLICY_POLL_SECONDS: "0",
    GATEHOUSE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    GATEHOUSE_SIGNING_KEY_FILE: signingKeyFile,
    GATEHOUSE_MAX_BODY_BYTES: String(256 * 1024),
    GATEHOUSE_RATE_LIMIT_PER_MINUTE: "10000",
    GATEHOUSE_SSE_KEEPALIVE_SECONDS: "15",
  });
  const gateways: ComposedGateway[] = [];
  const gateway = async (over: GatewayOverrides) => {
    const { config, ...components } = over;
    // Approval rules are refused unless a test hands in a coordinator (approvals are still wired: their routes answer).
    const gw = await composeGateway(
      { ...loaded, ...config },
      {
        policy,
        masker: createMasker({ bundle }),
        audit,
        signer,
        sessions,
        blobService,
        approvals: null,
        ...components,
      },
    );
    gateways.push(gw);
    return gw;
  };
  const build = async (over: GatewayOverrides) => {
    const gw = await gateway(over);
    return { url: gw.url, deps: gw.deps };
  };
  const main = await build({});
  return {
    issuer,
    azurite,
    blobService,
    bundle,
    gatewayUrl: main.url,
    deps: main.deps,
    filesDir,
    agent,
    token: (user, extra) => issuer.token(user, extra),
    extraGateway: async (over) => (await build(over)).url,
    gateway,
    stop: async () => {
      await Promise.all(gateways.map((g) => g.stop()));
      await agent.close();
      await Promise.all(servers.map(closeServer));
      await Promise.all(sinks.map((s) => s.close().catch(() => undefined)));
      await Promise.all([issuer.stop(), azurite.stop(), everything.proc.stop()]);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
