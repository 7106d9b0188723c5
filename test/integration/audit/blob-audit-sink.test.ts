import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { AuditRecordSchema, DECISIONS, EVENT_KINDS, GENESIS_HASH } from "../../../runtime/core/audit/record-schema";
import { recordHash } from "../../../runtime/core/audit/chain-hash";
import { chainBlobName } from "../../../runtime/core/audit/blob-layout";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { verifyChains } from "../../../runtime/core/audit/chain-verifier";
import { checkpointHash } from "../../../runtime/core/audit/checkpoint";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { Writable } from "node:stream";
import winston from "winston";
import { logger } from "../../../runtime/core/telemetry/logger";
import { startAuditAzurite, toolCallEvent, uniqueChainId, type AzuriteFixture } from "./audit-fixtures";

let fx: AzuriteFixture;
beforeAll(async () => {
  fx = await startAuditAzurite();
});
afterAll(async () => {
  await fx?.stop();
});

async function storedLines(chainId: string, index = 1): Promise<string[]> {
  const blob = fx.blobService.getContainerClient("audit").getAppendBlobClient(chainBlobName(chainId, index));
  return (await blob.downloadToBuffer()).toString("utf8").split("\n").filter(Boolean);
}

describe("openBlobAuditSink", () => {
  test("records of every decision outcome and event kind are stored exactly as returned, chained from genesis", async () => {
    const chainId = uniqueChainId();
    const sink = await openBlobAuditSink({ blobService: fx.blobService, chainId });
    const written = [];
    for (const outcome of DECISIONS) written.push(await sink.write(toolCallEvent({ outcome })));
    for (const kind of EVENT_KINDS) written.push(await sink.write({ ...toolCallEvent(), kind }));
    await sink.close();

    const lines = await storedLines(chainId);
    expect(lines).toHaveLength(DECISIONS.length + EVENT_KINDS.length);
    expect(lines).toEqual(written.map((r) => JSON.stringify(r)));
    let prev = GENESIS_HASH;
    lines.forEach((line, i) => {
      const r = AuditRecordSchema.parse(JSON.parse(line));
      expect(r.seq).toBe(i);
      expect(r.prevHash).toBe(prev);
      expect(recordHash(r)).toBe(r.hash);
      prev = r.hash;
    });
    expect(written.map((r) => r.decision.outcome).slice(0, DECISIONS.length)).toEqual([...DECISIONS]);
    expect(sink.head()).toEqual({ seq: lines.length - 1, hash: prev });
  });

  test("group commit: concurrent writes share appends, and each resolves once durable", async () => {
    const chainId = uniqueChainId();
    const sink = await openBlobAuditSink({ blobService: fx.blobService, chainId, maxBatchDelayMs: 20 });
    const n = 60;
    const records = await Promise.all(Array.from({ length: n }, (_, i) => sink.write(toolCallEvent({ i }))));
    const props = await fx.blobService
      .getContainerClient("audit")
      .getAppendBlobClient(chainBlobName(chainId, 1))
      .getProperties();
    expect(props.blobCommittedBlockCount).toBeLessThan(n);
    expect(props.blobCommittedBlockCount).toBeGreaterThanOrEqual(1);
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(await storedLines(chainId)).toHaveLength(n);
    await sink.close();
  });

  test("fills policyVersion from the option when the event has none, and rejects invalid events with ERR_AUDIT_UNAVAILABLE", async () => {
    const sink = await openBlobAuditSink({
      blobService: fx.blobService,
      chainId: uniqueChainId(),
      policyVersion: () => "pv-from-sink",
    });
    const r = await sink.write({ ...toolCallEvent(), policyVersion: null });
    expect(r.policyVersion).toBe("pv-from-sink");
    await expect(sink.write({ ...toolCallEvent(), kind: "nope" } as never)).rejects.toMatchObject({
      code: "ERR_AUDIT_UNAVAILABLE",
    });
    expect(sink.head().seq).toBe(0);
    await sink.close();
    await expect(sink.write(toolCallEvent())).rejects.toMatchObject({ code: "ERR_AUDIT_UNAVAILABLE" });
  });

  test("rolls over to the next blob of the series before the block limit", async () => {
    const chainId = uniqueChainId();
    const sink = await openBlobAuditSink({ blobService: fx.blobService, chainId, rollover: { maxBlocks: 3 } });
    for (let i = 0; i < 7; i++) await sink.write(toolCallEvent({ i }));
    expect(sink.currentBlob()).toBe(chainBlobName(chainId, 3));
    await sink.close();
    const counts = [await storedLines(chainId, 1), await storedLines(chainId, 2), await storedLines(chainId, 3)].map(
      (l) => l.length,
    );
    expect(counts).toEqual([3, 3, 1]);
    const props = await fx.blobService
      .getContainerClient("audit")
      .getAppendBlobClient(chainBlobName(chainId, 1))
      .getProperties();
    expect(props.isSealed).toBe(true);
  });

  test("resumes a chain after reopen: seq and prevHash continue from the stored tail", async () => {
    const chainId = uniqueChainId();
    const first = await openBlobAuditSink({ blobService: fx.blobService, chainId, rollover: { maxBlocks: 2 } });
    for (let i = 0; i < 4; i++) await first.write(toolCallEvent({ i }));
    const head = first.head();
    await first.close();
    const second = await openBlobAuditSink({ blobService: fx.blobService, chainId, rollover: { maxBlocks: 2 } });
    expect(second.head()).toEqual(head);
    const next = await second.write(toolCallEvent({ i: 4 }));
    expect(next.seq).toBe(head.seq + 1);
    expect(next.prevHash).toBe(head.hash);
    await second.close();
  });

  test("a second writer on the same chain is refused instead of forking it (fail closed)", async () => {
    const chainId = uniqueChainId();
    const a = await openBlobAuditSink({ blobService: fx.blobService, chainId });
    await a.write(toolCallEvent({ i: 0 }));
    const b = await openBlobAuditSink({ blobService: fx.blobService, chainId });
    await a.write(toolCallEvent({ i: 1 }));
    await expect(b.write(toolCallEvent({ i: 2 }))).rejects.toMatchObject({
      code: "ERR_AUDIT_UNAVAILABLE",
      details: { reason: "concurrent_writer" },
    });
    // Refused for good, even though nobody else writes now.
    await expect(b.write(toolCallEvent({ i: 3 }))).rejects.toMatchObject({ code: "ERR_AUDIT_UNAVAILABLE" });
    const ok = await a.write(toolCallEvent({ i: 4 }));
    expect(ok.seq).toBe(2);
    await a.close();
    await b.close();
    const seqs = (await storedLines(chainId)).map((l) => JSON.parse(l).seq);
    expect(seqs).toEqual([0, 1, 2]);
  });

  test("signed checkpoints at close continue their own chain across a reopen, and verify with the public key", async () => {
    const chainId = uniqueChainId();
    const signer = await LocalSigner.create();
    const container = `cp${Date.now()}`;
    const first = await openBlobAuditSink({ blobService: fx.blobService, container, chainId, signer });
    for (let i = 0; i < 3; i++) await first.write(toolCallEvent({ i }));
    await first.close();
    const again = await openBlobAuditSink({ blobService: fx.blobService, container, chainId, signer });
    await again.close(); // nothing new: no second checkpoint of the same head
    const third = await openBlobAuditSink({ blobService: fx.blobService, container, chainId, signer });
    for (let i = 3; i < 5; i++) await third.write(toolCallEvent({ i }));
    await third.close();

    const trail = await readAuditTrail({ blobService: fx.blobService, container });
    expect(trail.checkpoints.map((c) => c.seq)).toEqual([2, 4]);
    expect(trail.checkpoints[1].prevCheckpointHash).toBe(checkpointHash(trail.checkpoints[0]));
    expect(trail.checkpoints[1]).toMatchObject({
      kid: signer.kid,
      alg: "ES256",
      hash: trail.chains.get(chainId)![4].hash,
    });
    const report = verifyChains(trail, { publicJwks: [await signer.publicJwk()] });
    expect(report.chains[0]).toMatchObject({ problem: null, verifiedCheckpoints: 2 });
  });

  test("each record, the chain anchors and the checkpoint reach the log (the Log Analytics path) as flat fields, without payloads", async () => {
    const seen: Record<string, unknown>[] = [];
    const capture = new winston.transports.Stream({
      stream: new Writable({ objectMode: true, write: (info, _enc, done) => (seen.push(info), done()) }),
    });
    const level = logger.level;
    const quiet = logger.transports.map((t) => [t, t.silent] as const);
    quiet.forEach(([t]) => (t.silent = true));
    logger.level = "info";
    logger.add(capture);
    try {
      const sink = await openBlobAuditSink({
        blobService: fx.blobService,
        chainId: uniqueChainId(),
        signer: await LocalSigner.create(),
        anchorIntervalMs: 40,
      });
      const r0 = await sink.write(toolCallEvent({ i: 0, user: "alice" }));
      await sink.write(toolCallEvent({ i: 1, user: "bob", outcome: "denied" }));
      await new Promise((r) => setTimeout(r, 120));
      await sink.close();
      const audit = seen.filter((l) => l.message === "gatehouse.audit");
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatchObject({
        kind: "mcp.request",
        actor_oid: "oid-alice",
        actor_username: "alice@example.test",
        server: "customers",
        method: "tools/call",
        name: "get_customer",
        outcome: "allowed",
        ruleId: "engineers-customers",
        policyVersion: "pv-1",
        policyCommit: "abc123",
        chainId: r0.chainId,
        seq: 0,
        hash: r0.hash,
        maskingCounts: JSON.stringify({ email: 1 }),
      });
      // Arguments and results stay in the store: the log carries ids, codes and counts only.
      expect(JSON.stringify(audit)).not.toContain("[EMAIL]");
      const anchors = seen.filter((l) => l.message === "gatehouse.anchor");
      expect(anchors.length).toBeGreaterThanOrEqual(2);
      expect(anchors[anchors.length - 1]).toMatchObject({ chainId: r0.chainId, seq: 1, anchorReason: "close" });
      expect(seen.filter((l) => l.message === "gatehouse.checkpoint")).toEqual([
        expect.objectContaining({ chainId: r0.chainId, seq: 1, alg: "ES256" }),
      ]);
    } finally {
      logger.remove(capture);
      logger.level = level;
      quiet.forEach(([t, silent]) => (t.silent = silent));
    }
  });
});
