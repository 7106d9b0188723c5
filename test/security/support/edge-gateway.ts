/**
 * A gateway over a running harness's components, composed and served the way the gateway process
 * does it (composeGateway: createGatewayServer with Node's header and request timeouts), with edge
 * settings of the test's choosing and its own audit chain so the test reads only its records.
 */
import type { Express } from "express";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import type { AuditRecord } from "../../../runtime/core/audit/record-schema";
import type { GatewayConfig } from "../../../runtime/core/config/gateway-config";
import type { GatewayServerTimeouts } from "../../../runtime/gateway/gateway-server";
import type { Harness } from "../../integration/gateway/gateway-harness";

export interface EdgeGateway {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly app: Express;
  /** Records of this gateway's own audit chain. */
  records(): Promise<AuditRecord[]>;
  stop(): Promise<void>;
}

export async function startEdgeGateway(
  h: Harness,
  chainId: string,
  config: Partial<GatewayConfig> = {},
  timeouts: GatewayServerTimeouts = {},
): Promise<EdgeGateway> {
  const audit = await openBlobAuditSink({
    blobService: h.blobService,
    chainId,
    policyVersion: () => h.bundle.version,
    maxBatchDelayMs: 2,
  });
  const gw = await h.gateway({ audit, config: { ...config, ...timeouts } });
  return {
    url: gw.url,
    host: new URL(gw.url).host,
    port: gw.port,
    app: gw.app,
    records: async () => (await readAuditTrail({ blobService: h.blobService })).chains.get(chainId) ?? [],
    stop: async () => {
      await gw.stop();
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
