/**
 * Starts the whole product on 127.0.0.1: Azurite, the local OpenID Connect issuer, the demo
 * `customers` server, the agent and the gateway — the same entry points and code paths as in
 * Azure; only endpoints and keys differ (Azurite for Storage, the local issuer for Entra ID, a
 * local key file for Key Vault). Used by `npm run dev` (dev/stack.ts) and by the benchmarks.
 * Children run in their own process groups: a terminal's Ctrl-C reaches only the caller, which
 * stops them newest first, so the gateway flushes its audit trail before Azurite goes away.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { JWK } from "jose";
import { LocalSigner } from "../../runtime/core/signing/local-signer";
import { repoRoot } from "../../runtime/core/repo-root";
import type { PolicyBundle } from "../../runtime/core/policy-model/schema";
import { startAzurite } from "../azurite-launcher";
import { DEMO, startLocalIssuer } from "../local-issuer-launcher";
import { launch, type LaunchedProcess } from "../process-launcher";
import type { LocalStack } from "../../runtime/core/local-stack-file";
import { ensureDemoFiles } from "./demo-files";
import { freePort } from "./port-probe";
import type { StackPorts } from "./stack-ports";

export interface StackChild {
  readonly name: string;
  readonly process: LaunchedProcess;
}

export interface LocalStackOptions {
  /** State folder (.gatehouse): Azurite data, keys, the bundle, demo files. */
  readonly home: string;
  readonly ports: StackPorts;
  /** The policy bundle for these endpoints; `customersUrl` is null when the customers server is not started. */
  readonly bundle: (ctx: { customersUrl: string | null; demoFilesDir: string }) => PolicyBundle;
  /** Start the demo customers server. @default true */
  readonly customers?: boolean;
  /** Extra environment for the gateway (benchmarks raise the per-identity rate limit). */
  readonly gatewayEnv?: Record<string, string>;
  /** Prefix and echo every child's output. @default false */
  readonly echo?: boolean;
  /** Called after each child starts, so a crash-safe pid list can be kept. */
  readonly onChild?: (children: readonly StackChild[]) => void;
}

export interface RunningLocalStack {
  readonly info: LocalStack;
  readonly children: readonly StackChild[];
  /** Stops everything it started, newest first. */
  stop(): Promise<void>;
}

/** A 32-byte key kept in a 0600 file, so sealed MCP session ids stay valid across restarts. */
function persistentKey(file: string): string {
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

/** The file of a persistent 32-byte key (created if missing), for variables that take a file. */
function hashKeyFile(file: string): string {
  persistentKey(file);
  return file;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<RunningLocalStack> {
  const { home, ports } = opts;
  fs.mkdirSync(home, { recursive: true });
  const dist = path.join(repoRoot(), "dist");
  const children: StackChild[] = [];
  const started = (name: string, proc: LaunchedProcess): void => {
    children.push({ name, process: proc });
    opts.onChild?.(children);
  };
  const stop = async (): Promise<void> => {
    for (const c of [...children].reverse()) await c.process.stop();
  };

  try {
    const azurite = await startAzurite({
      location: path.join(home, "azurite"),
      blobPort: ports.azuriteBlob,
      tablePort: ports.azuriteTable,
      echo: false,
      detached: true,
    });
    started("azurite", azurite.process);

    const issuer = await startLocalIssuer({
      port: ports.issuer,
      keyFile: path.join(home, "issuer-key.json"),
      echo: opts.echo,
      detached: true,
    });
    started("issuer", issuer.process);

    let customersUrl: string | null = null;
    if (opts.customers ?? true) {
      const customers = await launch({
        name: "customers",
        command: process.execPath,
        args: [path.join(dist, "dev", "customers-server.js")],
        env: { ...process.env, GATEHOUSE_DEMO_CUSTOMERS_PORT: String(ports.customers) },
        ready: /customers server listening at (http:\/\/\S+)/,
        echo: opts.echo,
        detached: true,
      });
      started("customers", customers);
      customersUrl = customers.match[1];
    }

    const demoFilesDir = ensureDemoFiles(path.join(home, "demo-files"));
    const bundle = opts.bundle({ customersUrl, demoFilesDir });
    const policyBundleFile = path.join(home, "policy-bundle.json");
    fs.writeFileSync(policyBundleFile, JSON.stringify(bundle, null, 2) + "\n");

    const signingKeyFile = path.join(home, "signing-key.json");
    const signer = await LocalSigner.create(signingKeyFile);
    const signingPublicJwk: JWK = await signer.publicJwk();
    const common = {
      GATEHOUSE_HOST: "127.0.0.1",
      GATEHOUSE_POLICY_FILE: policyBundleFile,
      GATEHOUSE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      GATEHOUSE_LOG_LEVEL: process.env.GATEHOUSE_LOG_LEVEL ?? "info",
    };

    const agent = await launch({
      name: "agent",
      command: process.execPath,
      args: [path.join(dist, "runtime", "agent", "server.js")],
      // The bundle's stdio servers name paths relative to the repository root.
      cwd: repoRoot(),
      env: {
        ...process.env,
        ...common,
        GATEHOUSE_PORT: String(ports.agent),
        GATEHOUSE_GATEWAY_PUBLIC_JWK: JSON.stringify(signingPublicJwk),
        // Local stack only: upstream credentials from the environment instead of Key Vault.
        GATEHOUSE_CREDENTIAL_PROVIDER: "dev-env",
      },
      ready: /gatehouse agent listening at (http:\/\/\S+)/,
      echo: opts.echo,
      detached: true,
    });
    started("agent", agent);
    const agentUrl = agent.match[1].replace(/\/+$/, "");

    // The gateway checks Host headers against its public URL, so it must know its port up front.
    const gatewayPort = ports.gateway === 0 ? await freePort() : ports.gateway;
    const gateway = await launch({
      name: "gateway",
      command: process.execPath,
      args: [path.join(dist, "runtime", "gateway", "server.js")],
      env: {
        ...process.env,
        ...common,
        GATEHOUSE_PORT: String(gatewayPort),
        GATEHOUSE_IDENTITY_METADATA: `${issuer.url}/.well-known/openid-configuration`,
        GATEHOUSE_AUDIENCE: DEMO.audience,
        // The local issuer's URL names no tenant, so name the demo tenant explicitly.
        GATEHOUSE_TENANT_IDS: DEMO.tenantId,
        GATEHOUSE_AGENT_URL: agentUrl,
        GATEHOUSE_SIGNING_KEY_FILE: signingKeyFile,
        GATEHOUSE_SESSION_KEY: persistentKey(path.join(home, "session-key")),
        // The `hash` masking style's HMAC key: kept, so hashed values stay comparable across restarts.
        GATEHOUSE_MASKING_HASH_KEY_FILE: hashKeyFile(path.join(home, "masking-hash-key")),
        // One chain for the local gateway, resumed from its stored tail after a restart.
        GATEHOUSE_CHAIN_ID: "gateway-local",
        ...opts.gatewayEnv,
      },
      ready: /gatehouse gateway listening at (http:\/\/\S+)/,
      echo: opts.echo,
      detached: true,
      timeoutMs: 45_000,
    });
    started("gateway", gateway);
    const gatewayUrl = gateway.match[1].replace(/\/+$/, "");

    const info: LocalStack = {
      schemaVersion: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      home,
      gatewayUrl,
      agentUrl,
      issuerUrl: issuer.url,
      approvalsUrl: `${gatewayUrl}/approvals`,
      customersUrl,
      mcpUrls: Object.fromEntries(bundle.servers.map((s) => [s.name, `${gatewayUrl}/mcp/${s.name}`])),
      storageConnectionString: azurite.connectionString,
      blobEndpoint: azurite.blobEndpoint,
      tableEndpoint: azurite.tableEndpoint,
      signingPublicJwk: { ...signingPublicJwk },
      policyBundleFile,
      policyVersion: bundle.version,
      demoFilesDir,
    };
    return { info, children, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
