/**
 * Durability: fail closed when the store goes away, and every acknowledged record survives a
 * SIGKILL of the writer. Both need their own Azurite (one is stopped mid-run).
 */
import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import { spawn } from "node:child_process";
import { BlobServiceClient } from "@azure/storage-blob";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { verifyChains } from "../../../runtime/core/audit/chain-verifier";
import { METRIC_NAMES, metricTotals } from "../../../runtime/core/telemetry/metrics";
import { startAzurite } from "../../../dev/azurite-launcher";
import { startAuditAzurite, toolCallEvent, uniqueChainId, type AzuriteFixture } from "./audit-fixtures";

const repo = path.resolve(__dirname, "..", "..", "..");

/**
 * A TCP relay in front of Azurite that, when armed, lets one Append Block request through and
 * then cuts the connection instead of returning the response: the append is durable, but the
 * writer cannot know it (the "unknown outcome" case).
 */
async function lossyRelay(
  target: number,
): Promise<{ port: number; armLostAppendResponse(): void; appendsLost(): number; close(): Promise<void> }> {
  let armed = false;
  let lost = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, "127.0.0.1");
    sockets.add(client).add(upstream);
    let cutNextResponse = false;
    client.on("data", (d) => {
      if (armed && d.toString("latin1").includes("comp=appendblock")) {
        armed = false;
        cutNextResponse = true;
      }
      upstream.write(d);
    });
    upstream.on("data", (d) => {
      if (cutNextResponse) {
        lost++;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(d);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    armLostAppendResponse: () => (armed = true),
    appendsLost: () => lost,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe("audit durability", () => {
  let fx: AzuriteFixture;
  beforeAll(async () => {
    fx = await startAuditAzurite();
  });
  afterAll(async () => {
    await fx?.stop();
  });

  test("fails closed when the store stops mid-run, and resumes the same chain once it is back", async () => {
    const chainId = uniqueChainId();
    const sink = await openBlobAuditSink({ blobService: fx.blobService, chainId, requestTimeoutMs: 2000 });
    await sink.write(toolCallEvent({ i: 0 }));
    const head = sink.head();
    const failuresBefore = metricTotals()[METRIC_NAMES.auditWriteFailures];

    const port = Number(new URL(fx.azurite.blobEndpoint).port);
    await fx.azurite.stop();
    const results = await Promise.allSettled([1, 2, 3].map((i) => sink.write(toolCallEvent({ i }))));
    for (const r of results) expect(r).toMatchObject({ status: "rejected", reason: { code: "ERR_AUDIT_UNAVAILABLE" } });
    expect(metricTotals()[METRIC_NAMES.auditWriteFailures]).toBeGreaterThanOrEqual(failuresBefore + 3);
    expect(sink.head()).toEqual(head);

    // Same data folder and port: the store comes back; the sink re-reads the tail and continues.
    fx.azurite = await startAzurite({ location: fx.dir, blobPort: port });
    const next = await sink.write(toolCallEvent({ i: 4 }));
    expect(next).toMatchObject({ seq: head.seq + 1, prevHash: head.hash });
    await sink.close();
    const report = verifyChains(await readAuditTrail({ blobService: fx.blobService }));
    expect(report.chains.find((c) => c.chainId === chainId)).toMatchObject({ records: 2, problem: null });
  });

  test.each([
    ["without SDK retries", 1],
    ["with an SDK retry that meets the append-position condition", 3],
  ])("an append whose response was lost (%s) is found in the store, not written twice", async (_name, maxTries) => {
    const relay = await lossyRelay(Number(new URL(fx.azurite.blobEndpoint).port));
    try {
      const cs = fx.azurite.connectionString.replace(
        /BlobEndpoint=http:\/\/127\.0\.0\.1:\d+/,
        `BlobEndpoint=http://127.0.0.1:${relay.port}`,
      );
      const blobService = BlobServiceClient.fromConnectionString(cs, {
        retryOptions: { maxTries, retryDelayInMs: 50 },
      });
      const chainId = uniqueChainId("lossy");
      const sink = await openBlobAuditSink({ blobService, chainId, requestTimeoutMs: 5000 });
      await sink.write(toolCallEvent({ i: 0 }));
      relay.armLostAppendResponse();
      const landed = await sink.write(toolCallEvent({ i: 1 }));
      expect(relay.appendsLost()).toBe(1);
      expect(landed.seq).toBe(1);
      expect(sink.head()).toEqual({ seq: 1, hash: landed.hash });
      await sink.write(toolCallEvent({ i: 2 }));
      await sink.close();
      const trail = await readAuditTrail({ blobService: fx.blobService });
      expect(trail.chains.get(chainId)!.map((r) => r.seq)).toEqual([0, 1, 2]);
      expect(verifyChains(trail).chains.find((c) => c.chainId === chainId)!.problem).toBeNull();
    } finally {
      await relay.close();
    }
  });

  test("crash: after SIGKILL mid-flight every acknowledged record is stored, the chain verifies and resumes", async () => {
    const script = path.join(__dirname, "crash-writer.js");
    if (!fs.existsSync(path.join(repo, "dist", "runtime", "core", "audit", "blob-audit-sink.js"))) {
      throw new Error("dist/ is missing: run `npx tsc -p tsconfig.build.json` before this test");
    }
    const chainId = uniqueChainId("crash");
    const child = spawn(process.execPath, [script, fx.azurite.connectionString, chainId], {
      cwd: repo,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const acked = new Map<string, number>();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let buf = "";
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once("exit", (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`crash-writer acknowledged only ${acked.size} records\n${stderr}`)),
        30000,
      );
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split("\n");
        buf = lines.pop()!;
        for (const line of lines) {
          const m = /^ack (\S+) (\d+)$/.exec(line);
          if (m) acked.set(m[1], Number(m[2]));
        }
        if (acked.size >= 400) {
          clearTimeout(timer);
          child.kill("SIGKILL"); // mid-flight: writes are in the air
          resolve();
        }
      });
      child.once("exit", () => reject(new Error(`crash-writer exited early\n${stderr}`)));
    });
    expect(await exited).toBe("SIGKILL");

    // An append the writer sent just before it died can still land after the kill (the storage
    // service finishes a request whose client is gone): read until the chain stops growing.
    let trail = await readAuditTrail({ blobService: fx.blobService });
    for (let settled = 0, last = -1; settled < 2;) {
      const length = trail.chains.get(chainId)?.length ?? 0;
      settled = length === last ? settled + 1 : 0;
      last = length;
      if (settled < 2) {
        await new Promise((r) => setTimeout(r, 250));
        trail = await readAuditTrail({ blobService: fx.blobService });
      }
    }
    const stored = trail.chains.get(chainId)!;
    const storedIds = new Set(stored.map((r) => r.id));
    const missing = [...acked.keys()].filter((id) => !storedIds.has(id));
    expect(missing).toEqual([]);
    expect(verifyChains(trail).chains.find((c) => c.chainId === chainId)!.problem).toBeNull();

    // Restart: the chain resumes from its stored tail and still verifies.
    const sink = await openBlobAuditSink({ blobService: fx.blobService, chainId });
    expect(sink.head().seq).toBe(stored[stored.length - 1].seq);
    await sink.write(toolCallEvent({ i: 1 }));
    await sink.close();
    const after = verifyChains(await readAuditTrail({ blobService: fx.blobService }));
    expect(after.chains.find((c) => c.chainId === chainId)).toMatchObject({
      records: stored.length + 1,
      problem: null,
    });
  });
});
