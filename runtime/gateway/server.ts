/**
 * The gateway process: `gatehouse-runtime gateway` in the image (`node dist/runtime/gateway/server.js` locally). Reads GATEHOUSE_* (docs/gateway.md),
 * loads policy, signer, audit sink and the identity provider's keys, then prints exactly one line
 * `gatehouse gateway listening at http://<host>:<port>` (the dev stack and tests wait for it).
 */
import fs from "node:fs";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { loadGatewayConfig, type GatewayConfig } from "../core/config/gateway-config";
import { openPolicy } from "../core/config/load-policy";
import { warnIfNotLoopback } from "../core/config/bind-warning";
import { listenAndAnnounce, runService, stopOnSignals } from "../core/service-process";
import { liveMasker } from "./live-masker";
import { openBlobAuditSink } from "../core/audit/blob-audit-sink";
import { LocalSigner } from "../core/signing/local-signer";
import { KeyVaultSigner } from "../core/signing/key-vault-signer";
import type { Signer } from "../core/signing/signer";
import { AgentTokenSigner } from "../core/signing/agent-token-signer";
import { SessionSealer } from "../core/mcp/session-envelope";
import { logger } from "../core/telemetry/logger";
import { startTelemetry } from "../core/telemetry/telemetry";
import { createEntraBearerAuth } from "./auth/create-entra-bearer-auth";
import { createGatewayApp, refusalAuditOf } from "./gateway-app";
import { createGatewayServer } from "./gateway-server";
import { wireApprovals } from "./wire-approvals";
import { createEvidenceRouter } from "./evidence/evidence-router";
import { readAuditTrail } from "../core/audit/audit-reader";
import { repoRoot } from "../core/repo-root";
import { requirePublicUrlOnWildcard } from "./public-url-required";

async function credential() {
  const { DefaultAzureCredential, ManagedIdentityCredential } = await import("@azure/identity");
  return process.env.AZURE_CLIENT_ID ? new ManagedIdentityCredential({ clientId: process.env.AZURE_CLIENT_ID }) : new DefaultAzureCredential();
}

async function signerFor(c: GatewayConfig): Promise<Signer> {
  if (c.env.GATEHOUSE_SIGNING_KEY_FILE) return LocalSigner.create(c.env.GATEHOUSE_SIGNING_KEY_FILE);
  return KeyVaultSigner.create({ vaultUrl: c.env.GATEHOUSE_KEYVAULT_URL!, keyName: c.env.GATEHOUSE_SIGNING_KEY_NAME!, credential: await credential() });
}

function sessionSealer(c: GatewayConfig): SessionSealer {
  if (c.env.GATEHOUSE_SESSION_KEY) return SessionSealer.fromSecret(Buffer.from(c.env.GATEHOUSE_SESSION_KEY, "base64"));
  if (c.env.GATEHOUSE_SIGNING_KEY_FILE) return SessionSealer.fromSecret(fs.readFileSync(c.env.GATEHOUSE_SIGNING_KEY_FILE));
  logger.warn("GATEHOUSE_SESSION_KEY is not set: MCP sessions are bound to this replica and end when it restarts", { event: "gateway.session_key_ephemeral" });
  return SessionSealer.ephemeral();
}

async function blobService(c: GatewayConfig): Promise<BlobServiceClient> {
  if (c.env.GATEHOUSE_STORAGE_CONNECTION_STRING) return BlobServiceClient.fromConnectionString(c.env.GATEHOUSE_STORAGE_CONNECTION_STRING);
  return new BlobServiceClient(c.env.GATEHOUSE_STORAGE_BLOB_URL!, await credential());
}

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  requirePublicUrlOnWildcard(config.env);
  const telemetry = startTelemetry({ connectionString: config.env.APPLICATIONINSIGHTS_CONNECTION_STRING, serviceName: "gatehouse-gateway", managedIdentityClientId: config.env.AZURE_CLIENT_ID });
  warnIfNotLoopback("gateway", config.host);
  // The bundle in force, reloaded on change; the masker is rebuilt with it (a bundle it cannot build is refused).
  const policy = await openPolicy(config.env, "gateway");
  const masker = liveMasker(policy, config.maskingHashKey);
  const signer = await signerFor(config);
  // The per-call agent-token key is certified now: a signing key that cannot sign fails the start.
  await AgentTokenSigner.for(signer).prepare();
  const blobs = await blobService(config);
  const audit = await openBlobAuditSink({
    blobService: blobs,
    container: config.env.GATEHOUSE_AUDIT_CONTAINER,
    chainId: config.env.GATEHOUSE_CHAIN_ID ?? `gateway-${os.hostname().replace(/[^A-Za-z0-9._-]/g, "-")}-${randomBytes(3).toString("hex")}`,
    signer,
    policyVersion: () => policy.bundle.version,
  });
  const lifecycle = (kind: "gateway.started" | "gateway.stopped") =>
    audit.write({ kind, policyVersion: policy.bundle.version, policyCommit: policy.bundle.commit, actor: { oid: null, tenantId: null, username: null }, decision: { outcome: "info" }, details: { publicUrl: config.publicUrl, host: os.hostname() } });
  await lifecycle("gateway.started");
  const approvals = await wireApprovals({ config, policy, signer, audit, credential });
  const authenticate = createEntraBearerAuth({
    providers: config.identityProviders,
    scopes: config.scopes,
    publicUrl: config.publicUrl,
    jit: { publicJwk: await signer.publicJwk(), isGrantRevoked: approvals.isGrantRevoked },
  });
  await authenticate.ready();
  approvals.setAuthenticate(authenticate);
  const container = config.env.GATEHOUSE_AUDIT_CONTAINER;
  const evidence = createEvidenceRouter({
    authenticate,
    readTrail: () => readAuditTrail({ blobService: blobs, container }),
    bundles: () => [policy.bundle],
    publicJwks: async () => [await signer.publicJwk()],
    source: { type: "azure-blob", endpoint: blobs.url, container },
    audit,
    // Manifests are signed with the checkpoint key, so `evidence verify --public-key` checks them offline.
    signer,
    generatorVersion: (JSON.parse(fs.readFileSync(`${repoRoot()}/package.json`, "utf8")) as { version: string }).version,
  });
  const app = createGatewayApp({
    config,
    policy,
    masker,
    audit,
    signer,
    authenticate,
    sessions: sessionSealer(config),
    approvals: approvals.coordinator,
    routers: [...approvals.routers, evidence],
    // RFC 9728: every configured provider is an authorization server of every MCP server.
    authorizationServers: async () => (await authenticate.ready()).issuers,
  });
  const server = await listenAndAnnounce(createGatewayServer(app, config), "gateway", config.host, config.port);
  stopOnSignals(server, async () => {
    policy.stop();
    refusalAuditOf(app).flush(); // the last window's aggregate refusal records
    await lifecycle("gateway.stopped").catch(() => undefined);
    await audit.close();
    await telemetry.shutdown();
  });
}

runService("gateway", main);
