/**
 * The gateway's one composition root (issue 14, item 5): the process entry (server.ts) and the
 * tests build the gateway here, so what the tests run is what production runs — approvals wired
 * (wireApprovals), evidence mounted, the same edge. Overrides replace a component (an engine
 * instead of a polled bundle, a test's audit chain, a stand-in approvals coordinator), never the
 * wiring.
 *
 * The server listens first, then the public URL is built from the bound port: no reserve, close
 * and listen again (another process could take the port in between).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Express, Router } from "express";
import { BlobServiceClient } from "@azure/storage-blob";
import { azureCredential } from "../core/azure-credential";
import { openBlobAuditSink } from "../core/audit/blob-audit-sink";
import { readAuditTrail } from "../core/audit/audit-reader";
import type { AuditSink } from "../core/audit/audit-sink";
import type { ApprovalCoordinator } from "../core/approvals/approval-coordinator";
import type { ElicitationStore } from "../core/approvals/elicitation-store";
import type { GatewayConfig } from "../core/config/gateway-config";
import { openPolicy } from "../core/config/load-policy";
import { createMasker, type Masker } from "../core/masking/masker";
import { SessionSealer } from "../core/mcp/session-envelope";
import { LivePolicy, type PolicyView } from "../core/policy/live-policy";
import { repoRoot } from "../core/repo-root";
import { KeyVaultSigner } from "../core/signing/key-vault-signer";
import { LocalSigner } from "../core/signing/local-signer";
import type { Signer } from "../core/signing/signer";
import { AgentTokenSigner } from "../core/signing/agent-token-signer";
import { logger } from "../core/telemetry/logger";
import { createEntraBearerAuth } from "./auth/create-entra-bearer-auth";
import { createEvidenceRouter } from "./evidence/evidence-router";
import { createGatewayApp, refusalAuditOf } from "./gateway-app";
import type { GatewayDeps } from "./gateway-deps";
import { createGatewayServer } from "./gateway-server";
import { liveMasker } from "./live-masker";
import { wireApprovals } from "./wire-approvals";

export interface GatewayOverrides {
  /** @default - the bundle of GATEHOUSE_POLICY_FILE or _BLOB_URL, polled */
  readonly policy?: PolicyView;
  /** @default - built from the policy's bundle (and rebuilt with it when the policy is live) */
  readonly masker?: Masker;
  /** @default - GATEHOUSE_SIGNING_KEY_FILE, or the Key Vault key */
  readonly signer?: Signer;
  /** @default - GATEHOUSE_STORAGE_CONNECTION_STRING, or GATEHOUSE_STORAGE_BLOB_URL with the managed identity */
  readonly blobService?: BlobServiceClient;
  /** @default - this replica's hash chain in the audit container */
  readonly audit?: AuditSink;
  /** @default - GATEHOUSE_SESSION_KEY, the signing key file, or an ephemeral key (warned) */
  readonly sessions?: SessionSealer;
  /** The coordinator tool calls needing approval wait on; null: such calls are refused. @default - the wired one */
  readonly approvals?: Pick<ApprovalCoordinator, "requestAndWait"> | null;
  /** Where the gateway's own questions to requesters wait for answers; null: it asks none. @default - the wired one */
  readonly elicitations?: ElicitationStore | null;
  /** Routers mounted after the MCP routes. @default - the approvals and evidence routers */
  readonly routers?: Router[];
}

export interface ComposedGateway {
  /** The URL clients use (GATEHOUSE_PUBLIC_URL, or http://<host>:<bound port>). */
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  readonly app: Express;
  readonly deps: GatewayDeps;
  /**
   * Stops polling, flushes the last refusal window, runs `last` (the process's final record), then
   * closes the server and (if composed here) the audit sink.
   */
  stop(last?: () => Promise<void>): Promise<void>;
}

export async function composeGateway(loaded: GatewayConfig, over: GatewayOverrides = {}): Promise<ComposedGateway> {
  let handler: http.RequestListener = (_req, res) => void res.writeHead(503, { "retry-after": "1" }).end();
  const server = createGatewayServer((req, res) => handler(req, res), loaded);
  await new Promise<void>((resolve, reject) =>
    server.once("error", reject).listen(loaded.port, loaded.host, () => resolve()),
  );
  try {
    const port = (server.address() as AddressInfo).port;
    const config = boundTo(loaded, port);
    const policy = over.policy ?? (await openPolicy(config.env, "gateway"));
    // The bundle in force, reloaded on change; the masker is rebuilt with it (a bundle it cannot build is refused).
    const masker =
      over.masker ??
      (policy instanceof LivePolicy
        ? liveMasker(policy, config.maskingHashKey)
        : createMasker({ bundle: policy.bundle, hashKey: config.maskingHashKey }));
    const signer = over.signer ?? (await signerFor(config));
    // The per-call agent-token key is certified now: a signing key that cannot sign fails the start.
    await AgentTokenSigner.for(signer).prepare();
    const blobs = over.blobService ?? blobService(config);
    const container = config.env.GATEHOUSE_AUDIT_CONTAINER;
    const audit =
      over.audit ??
      (await openBlobAuditSink({
        blobService: blobs,
        container,
        chainId:
          config.env.GATEHOUSE_CHAIN_ID ??
          `gateway-${os.hostname().replace(/[^A-Za-z0-9._-]/g, "-")}-${randomBytes(3).toString("hex")}`,
        signer,
        policyVersion: () => policy.bundle.version,
      }));
    const approvals = await wireApprovals({
      config,
      policy,
      masker,
      signer,
      audit,
      credential: async () => azureCredential(),
    });
    const authenticate = createEntraBearerAuth({
      providers: config.identityProviders,
      scopes: config.scopes,
      publicUrl: config.publicUrl,
      jit: { publicJwk: await signer.publicJwk(), isGrantRevoked: approvals.isGrantRevoked },
    });
    await authenticate.ready();
    approvals.setAuthenticate(authenticate);
    const evidence = createEvidenceRouter({
      authenticate,
      readTrail: () => readAuditTrail({ blobService: blobs, container }),
      bundles: () => [policy.bundle],
      publicJwks: async () => [await signer.publicJwk()],
      source: { type: "azure-blob", endpoint: blobs.url, container },
      audit,
      // Manifests are signed with the checkpoint key, so `evidence verify --public-key` checks them offline.
      signer,
      generatorVersion: (JSON.parse(fs.readFileSync(`${repoRoot()}/package.json`, "utf8")) as { version: string })
        .version,
    });
    const deps: GatewayDeps = {
      config,
      policy,
      masker,
      audit,
      signer,
      authenticate,
      sessions: over.sessions ?? sessionSealer(config),
      approvals: over.approvals === undefined ? approvals.coordinator : over.approvals,
      elicitations: over.elicitations === undefined ? approvals.elicitations : over.elicitations,
      tools: approvals.tools,
      routers: over.routers ?? [...approvals.routers, evidence],
      // RFC 9728: every configured provider is an authorization server of every MCP server.
      authorizationServers: async () => (await authenticate.ready()).issuers,
    };
    const app = createGatewayApp(deps);
    handler = app;
    return {
      url: config.publicUrl,
      port,
      server,
      app,
      deps,
      stop: async (last) => {
        if (policy instanceof LivePolicy) policy.stop();
        await approvals.stop();
        refusalAuditOf(app).flush(); // the last window's aggregate refusal records
        await last?.();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        if (!over.audit) await audit.close();
      },
    };
  } catch (e) {
    server.close();
    throw e;
  }
}

/** The configuration with URLs built from the bound port where they were not configured. */
function boundTo(c: GatewayConfig, port: number): GatewayConfig {
  if (c.env.GATEHOUSE_PUBLIC_URL || port === c.port) return c;
  const publicUrl = `http://${c.host.includes(":") ? `[${c.host}]` : c.host}:${port}`;
  const u = new URL(publicUrl);
  return {
    ...c,
    port,
    publicUrl,
    allowedHosts: c.env.GATEHOUSE_ALLOWED_HOSTS ?? [u.host],
    allowedOrigins: c.env.GATEHOUSE_ALLOWED_ORIGINS ?? [u.origin],
  };
}

async function signerFor(c: GatewayConfig): Promise<Signer> {
  if (c.env.GATEHOUSE_SIGNING_KEY_FILE) return LocalSigner.create(c.env.GATEHOUSE_SIGNING_KEY_FILE);
  return KeyVaultSigner.create({
    vaultUrl: c.env.GATEHOUSE_KEYVAULT_URL!,
    keyName: c.env.GATEHOUSE_SIGNING_KEY_NAME!,
    credential: azureCredential(),
  });
}

function sessionSealer(c: GatewayConfig): SessionSealer {
  if (c.env.GATEHOUSE_SESSION_KEY) return SessionSealer.fromSecret(Buffer.from(c.env.GATEHOUSE_SESSION_KEY, "base64"));
  if (c.env.GATEHOUSE_SIGNING_KEY_FILE)
    return SessionSealer.fromSecret(fs.readFileSync(c.env.GATEHOUSE_SIGNING_KEY_FILE));
  logger.warn("GATEHOUSE_SESSION_KEY is not set: MCP sessions are bound to this replica and end when it restarts", {
    event: "gateway.session_key_ephemeral",
  });
  return SessionSealer.ephemeral();
}

function blobService(c: GatewayConfig): BlobServiceClient {
  if (c.env.GATEHOUSE_STORAGE_CONNECTION_STRING)
    return BlobServiceClient.fromConnectionString(c.env.GATEHOUSE_STORAGE_CONNECTION_STRING);
  return new BlobServiceClient(c.env.GATEHOUSE_STORAGE_BLOB_URL!, azureCredential());
}
