/**
 * The local stack (Azurite, the local Entra-shaped issuer, the customers server, agent, gateway:
 * the built processes) with three more identity providers configured through
 * GATEHOUSE_OIDC_ISSUERS: Okta-, Auth0- and Keycloak-shaped oauth2-mock-server issuers, each with
 * its own claim layout and algorithm. The policy is the declared one plus a rule for one machine.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { startLocalStack, type RunningLocalStack } from "../../../../dev/stack/start-local-stack";
import { devBundle } from "../../../../dev/stack/dev-bundle";
import { fetchToken } from "../../../../dev/local-issuer-launcher";
import { sealBundle } from "../../../../runtime/core/policy-model/bundle-version";
import { readAuditTrail } from "../../../../runtime/core/audit/audit-reader";
import type { AuditRecord } from "../../../../runtime/core/audit/record-schema";
import { startShapedIssuer, type ShapedIssuer } from "./shaped-issuer";

export const CI_BOT = "ci-bot";

export interface IdentityStack {
  readonly stack: RunningLocalStack;
  readonly gateway: string;
  readonly okta: ShapedIssuer;
  readonly auth0: ShapedIssuer;
  readonly keycloak: ShapedIssuer;
  /** A token of a demo user from the local (Entra-shaped) issuer. */
  entraToken(user: string, extra?: Record<string, string>): Promise<string>;
  waitForRecord(match: (r: AuditRecord) => boolean, timeoutMs?: number): Promise<AuditRecord | null>;
  stop(): Promise<void>;
}

export async function startIdentityStack(): Promise<IdentityStack> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "gh-identity-stack-"));
  const [okta, auth0, keycloak] = await Promise.all([
    startShapedIssuer({ provider: "okta", alg: "PS256", audience: "api://gatehouse-okta" }),
    startShapedIssuer({ provider: "auth0", alg: "RS256", audience: "https://gatehouse.example/api" }),
    startShapedIssuer({ provider: "keycloak", alg: "ES256", audience: "gatehouse" }),
  ]);
  const providers = [
    {
      name: "okta",
      metadata: okta.metadata,
      audiences: ["api://gatehouse-okta"],
      algorithms: ["PS256"],
      claims: { user: "uid", username: ["sub"], roles: "groups", app: ["cid"] },
    },
    {
      name: "auth0",
      metadata: auth0.url,
      audiences: ["https://gatehouse.example/api"],
      claims: { username: ["email"], roles: "https://gatehouse.example/roles" },
      machine: { claim: "gty", equals: "client-credentials" },
    },
    {
      name: "keycloak",
      metadata: keycloak.metadata,
      audiences: ["gatehouse"],
      algorithms: ["ES256"],
      claims: { roles: "realm_access.roles" },
      machine: { claim: "client_id" },
    },
  ];
  let stack: RunningLocalStack;
  try {
    stack = await startLocalStack({
      home,
      ports: { gateway: 0, agent: 0, issuer: 0, customers: 0, azuriteBlob: 0, azuriteTable: 0 },
      bundle: (ctx) => {
        const { version: _v, ...body } = devBundle(ctx);
        const machine = {
          id: "ci-bot-reads-customers",
          principals: { roles: [], groups: [], apps: [CI_BOT] },
          servers: ["customers"],
          tools: { allow: ["list_customers"] },
          mode: "standing",
        };
        return sealBundle({ ...body, access: [...body.access, machine] });
      },
      gatewayEnv: { GATEHOUSE_LOG_LEVEL: "warn", GATEHOUSE_OIDC_ISSUERS: JSON.stringify(providers) },
    });
  } catch (e) {
    await Promise.all([okta.stop(), auth0.stop(), keycloak.stop()]);
    throw e;
  }
  const blobService = BlobServiceClient.fromConnectionString(stack.info.storageConnectionString);
  return {
    stack,
    gateway: stack.info.gatewayUrl,
    okta,
    auth0,
    keycloak,
    entraToken: (user, extra) => fetchToken(stack.info.issuerUrl, user, extra),
    async waitForRecord(match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const trail = await readAuditTrail({ blobService });
        const found = [...trail.chains.values()].flat().find(match);
        if (found || Date.now() > deadline) return found ?? null;
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stop() {
      await stack.stop();
      await Promise.all([okta.stop(), auth0.stop(), keycloak.stop()]);
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
