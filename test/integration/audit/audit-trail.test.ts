/**
 * The trail as auditors see it: read back from storage, verified, with signed checkpoints, and
 * tampered with on a copy of the container (the original is append-only).
 */
import type { ContainerClient } from "@azure/storage-blob";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { readAuditTrail } from "../../../runtime/core/audit/audit-reader";
import { verifyChains } from "../../../runtime/core/audit/chain-verifier";
import { signCheckpoint, type Checkpoint } from "../../../runtime/core/audit/checkpoint";
import { writeCheckpoint } from "../../../runtime/core/audit/checkpoint-store";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { startAuditAzurite, toolCallEvent, uniqueChainId, type AzuriteFixture } from "./audit-fixtures";

let fx: AzuriteFixture;
let signer: LocalSigner;
let source: string;
beforeAll(async () => {
  fx = await startAuditAzurite();
  signer = await LocalSigner.create();
  // One source container with two chains (two replicas), rolled over, with checkpoints.
  source = `src${Date.now()}`;
  for (const chainId of ["replica-a", "replica-b"]) {
    const sink = await openBlobAuditSink({
      blobService: fx.blobService,
      container: source,
      chainId,
      signer,
      rollover: { maxBlocks: 4 },
    });
    for (let i = 0; i < 6; i++) await sink.write(toolCallEvent({ i }));
    await sink.checkpoint();
    for (let i = 6; i < 10; i++) await sink.write(toolCallEvent({ i }));
    await sink.close(); // writes the closing checkpoint
  }
});
afterAll(async () => {
  await fx?.stop();
});

/** Copies the source container, letting `edit` change one chain's lines on the way. */
async function tamperedCopy(edit: (lines: string[]) => void, extraCheckpoints: Checkpoint[] = []): Promise<string> {
  const name = uniqueChainId("copy")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
  const src = fx.blobService.getContainerClient(source);
  const dst = fx.blobService.getContainerClient(name);
  await dst.create();
  const lines: string[] = [];
  for await (const item of src.listBlobsFlat()) {
    const body = (await src.getBlobClient(item.name).downloadToBuffer()).toString("utf8");
    if (item.name.startsWith("chains/replica-a/")) lines.push(...body.split("\n").filter(Boolean));
    else await dst.getBlockBlobClient(item.name).upload(body, Buffer.byteLength(body));
  }
  edit(lines);
  await appendLines(dst, "chains/replica-a/000001.jsonl", lines);
  for (const cp of extraCheckpoints) await writeCheckpoint(dst, cp);
  return name;
}

async function appendLines(c: ContainerClient, blob: string, lines: string[]): Promise<void> {
  const b = c.getAppendBlobClient(blob);
  await b.create();
  const body = lines.map((l) => l + "\n").join("");
  if (body) await b.appendBlock(body, Buffer.byteLength(body));
}

async function verifyContainer(container: string) {
  return verifyChains(await readAuditTrail({ blobService: fx.blobService, container }), {
    publicJwks: [await signer.publicJwk()],
  });
}

describe("readAuditTrail + verifyChains on Azurite", () => {
  test("reads every chain across rolled-over blobs, with its signed checkpoints, and verifies", async () => {
    const trail = await readAuditTrail({ blobService: fx.blobService, container: source });
    expect([...trail.chains.keys()].sort()).toEqual(["replica-a", "replica-b"]);
    expect(trail.chains.get("replica-a")!.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(trail.checkpoints.filter((c) => c.chainId === "replica-a").map((c) => c.seq)).toEqual([5, 9]);
    const report = verifyChains(trail, { publicJwks: [await signer.publicJwk()] });
    expect(report.ok).toBe(true);
    expect(report.chains.map((c) => [c.chainId, c.records, c.verifiedCheckpoints])).toEqual([
      ["replica-a", 10, 2],
      ["replica-b", 10, 2],
    ]);
  });

  test("an untampered copy verifies (the copy procedure itself changes nothing)", async () => {
    expect((await verifyContainer(await tamperedCopy(() => undefined))).ok).toBe(true);
  });

  test.each([
    [
      "modify a byte",
      (l: string[]) => {
        l[4] = l[4].replace("alice", "alicf");
      },
      "modified",
      4,
    ],
    [
      "delete a record",
      (l: string[]) => {
        l.splice(2, 1);
      },
      "deleted",
      2,
    ],
    [
      "swap two records",
      (l: string[]) => {
        [l[6], l[7]] = [l[7], l[6]];
      },
      "reordered",
      6,
    ],
    [
      "drop the tail",
      (l: string[]) => {
        l.splice(8);
      },
      "truncated",
      8,
    ],
  ])("%s: detected at the right position, other chains unaffected", async (_n, edit, kind, index) => {
    const report = await verifyContainer(await tamperedCopy(edit));
    expect(report.ok).toBe(false);
    const a = report.chains.find((c) => c.chainId === "replica-a")!;
    expect(a.problem).toMatchObject({ kind, index });
    expect(a.problem!.where).toMatch(/^(after )?chains\/replica-a\/000001\.jsonl:\d+$/);
    expect(report.chains.find((c) => c.chainId === "replica-b")!.problem).toBeNull();
  });

  test("forge a checkpoint: signed by another key, it is reported as a bad signature", async () => {
    const trail = await readAuditTrail({ blobService: fx.blobService, container: source });
    const cps = trail.checkpoints.filter((c) => c.chainId === "replica-a");
    const forger = await LocalSigner.create();
    const forged = await signCheckpoint(
      forger,
      { chainId: "replica-a", seq: 12, hash: "b".repeat(64) },
      cps[cps.length - 1],
    );
    const report = await verifyContainer(await tamperedCopy(() => undefined, [forged]));
    expect(report.chains.find((c) => c.chainId === "replica-a")!.problem).toMatchObject({
      kind: "bad_checkpoint_signature",
      index: 12,
    });
  });

  test("an empty or missing container reads as an empty trail", async () => {
    const trail = await readAuditTrail({ blobService: fx.blobService, container: "does-not-exist" });
    expect(trail.chains.size).toBe(0);
  });
});
