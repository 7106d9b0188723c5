/**
 * A gateway app over a running harness's components, served the way the gateway process serves
 * it (createGatewayServer: Node's header and request timeouts), with edge settings of the test's
 * choosing and, optionally, its own audit chain so the test reads only its records.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import { createGatewayApp } from "../../../runtime/gateway/gateway-app";
import type { GatewayAppConfig } from "../../../runtime/gateway/gateway-deps";
import { createGatewayServer, type GatewayServerTimeouts } from "../../../runtime/gateway/gateway-server";
import { closeServer, type Harness } from "../../integration/gateway/gateway-harness";

export interface EdgeGateway {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly app: Express;
  /** Records of this gateway's own audit chain. */
  records(): Promise<AuditRecord[]>;
  stop(): Promise<void>;
}

export async function startEdgeGateway(h: Harness, chainId: string, config: Partial<GatewayAppConfig> = {}, timeouts: GatewayServerTimeouts = {}): Promise<EdgeGateway> {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const url = `http://127.0.0.1:${port}`;
  const audit = await openBlobAuditSink({ blobService: h.blobService, chainId, policyVersion: () => h.bundle.version, maxBatchDelayMs: 2 });
  const app = createGatewayApp({
    ...h.deps,
    audit,
    config: { ...h.deps.config, publicUrl: url, allowedHosts: [`127.0.0.1:${port}`], allowedOrigins: [url], ...config },
  });
  const server = createGatewayServer(app, timeouts);
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return {
    url,
    host: `127.0.0.1:${port}`,
    port,
    app,
    records: async () => (await readAuditTrail({ blobService: h.blobService })).chains.get(chainId) ?? [],
    stop: async () => {
      await closeServer(server);
      await audit.close();
    },
  };
}

/** Polls `read` until `done` holds (at most `attempts` times, 100 ms apart); returns the last value. */
export async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, attempts = 50): Promise<T> {
  let v = await read();
  for (let i = 1; i < attempts && !done(v); i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}
