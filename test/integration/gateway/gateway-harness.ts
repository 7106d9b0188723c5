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
import type { Express } from "express";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { startLocalIssuer, DEMO, type LocalIssuer } from "../../../dev/local-issuer-launcher";
import { launch, type LaunchedProcess } from "../../../dev/process-launcher";
import { sealBundle } from "../../../policies/bundle-version";
import type { PolicyBundle } from "../../../policies/schema";
import { repoRoot } from "../../../runtime/core/repo-root";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { PolicyEngine } from "../../../runtime/core/policy/policy-engine";
import { createMasker } from "../../../runtime/core/masking/masker";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import type { AuditSink } from "../../../runtime/core/audit/audit-sink";
import { SessionSealer } from "../../../runtime/core/mcp/session-envelope";
import { createEntraBearerAuth } from "../../../runtime/gateway/auth";
import { createGatewayApp } from "../../../runtime/gateway/gateway-app";
import type { GatewayDeps } from "../../../runtime/gateway/gateway-deps";
import { createAgentApp, type AgentApp } from "../../../runtime/agent/agent-app";
import { GatewayTokenVerifier } from "../../../runtime/agent/gateway-token-verifier";
import { DevEnvCredentialProvider } from "../../../runtime/agent/credential-provider";

export const PRELOAD = path.join(repoRoot(), "test", "conformance", "support", "bind-loopback.cjs");

export async function startEverything(): Promise<{ url: string; proc: LaunchedProcess }> {
  const proc = await launch({
    name: "server-everything",
    command: process.execPath,
    args: ["--require", PRELOAD, path.join(repoRoot(), "node_modules/@modelcontextprotocol/server-everything/dist/index.js"), "streamableHttp"],
    env: { ...process.env, PORT: "0" },
    ready: /loopback bound (127\.0\.0\.1:\d+)/,
  });
  return { url: `http://${proc.match[1]}/mcp`, proc };
}

export async function listen(app: Express): Promise<{ url: string; server: http.Server }> {
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
  /** Another gateway app over the same components with config overrides (rate limit, audit). */
  extraGateway(over: GatewayOverrides): Promise<string>;
  stop(): Promise<void>;
}

export type GatewayOverrides = Omit<Partial<GatewayDeps>, "config"> & { config?: Partial<GatewayDeps["config"]> };

export type BundleBuilder = (servers: { everythingUrl: string; filesDir: string }) => unknown;

export async function startHarness(buildBundle: BundleBuilder): Promise<Harness> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-gw-"));
  const filesDir = path.join(tmp, "files");
  fs.mkdirSync(filesDir);
  const [issuer, azurite, everything] = await Promise.all([startLocalIssuer(), startAzurite({ location: path.join(tmp, "azurite") }), startEverything()]);
  const servers: http.Server[] = [];
  const sinks: AuditSink[] = [];
  const bundle = sealBundle(buildBundle({ everythingUrl: everything.url, filesDir }));
  const signer = await LocalSigner.create();
  const agent = createAgentApp({ bundle, verifier: new GatewayTokenVerifier(await signer.publicJwk()), credentials: new DevEnvCredentialProvider({}) });
  const agentListening = await listen(agent.app);
  servers.push(agentListening.server);
  const blobService = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const policy = new PolicyEngine(bundle);
  const audit = await openBlobAuditSink({ blobService, chainId: "gateway-test", policyVersion: () => bundle.version, maxBatchDelayMs: 2 });
  sinks.push(audit);
  const sessions = SessionSealer.ephemeral();

  const build = async (over: GatewayOverrides) => {
    // The public URL must be known before listening: reserve the port first.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const publicUrl = `http://127.0.0.1:${port}`;
    const authenticate = createEntraBearerAuth({ identityMetadata: `${issuer.url}/.well-known/openid-configuration`, audience: DEMO.audience, tenantIds: [DEMO.tenantId], publicUrl });
    const { config, ...rest } = over;
    const deps: GatewayDeps = {
      config: {
        publicUrl,
        allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`],
        allowedOrigins: [publicUrl],
        agentUrl: agentListening.url,
        maxBodyBytes: 256 * 1024,
        rateLimitPerMinute: 10_000,
        sseKeepAliveMs: 15_000,
        audience: [DEMO.audience],
        ...config,
      },
      policy,
      masker: createMasker({ bundle }),
      audit,
      signer,
      authenticate,
      sessions,
      ...rest,
    };
    const app = createGatewayApp(deps);
    const server = app.listen(port, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    servers.push(server);
    return { url: publicUrl, deps };
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
    stop: async () => {
      await agent.close();
      await Promise.all(servers.map(closeServer));
      await Promise.all(sinks.map((s) => s.close().catch(() => undefined)));
      await Promise.all([issuer.stop(), azurite.stop(), everything.proc.stop()]);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
