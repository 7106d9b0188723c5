import { sealRecord } from "../../../runtime/core/audit/chain-hash";
import { GENESIS_HASH, type AuditEventInput, type AuditRecord } from "../../../runtime/core/audit/record-schema";
import { TrailBuilder, type AuditTrail } from "../../../runtime/core/audit/audit-reader";
import { verifyChains } from "../../../runtime/core/audit/chain-verifier";
import { signCheckpoint, type Checkpoint } from "../../../runtime/core/audit/checkpoint";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";

const event = (i: number): AuditEventInput => ({
  kind: "mcp.request",
  policyVersion: "pv",
  actor: { oid: `oid-${i}`, tenantId: "t", username: `user${i}` },
  action: { method: "tools/call", name: "get_customer" },
  decision: { outcome: "allowed" },
});

function chainLines(chainId: string, n: number): string[] {
  const lines: string[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 0; seq < n; seq++) {
    const s = sealRecord(event(seq), {
      chainId,
      seq,
      prevHash,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    });
    prevHash = s.record.hash;
    lines.push(s.line);
  }
  return lines;
}

function trailOf(lines: string[], checkpoints: Checkpoint[] = []): AuditTrail {
  const b = new TrailBuilder();
  lines.forEach((l, i) => b.add(l, `chains/c1/000001.jsonl:${i + 1}`, "c1"));
  return { chains: b.chains, malformed: b.malformed, sources: b.sources, checkpoints };
}

let signer: LocalSigner;
let otherSigner: LocalSigner;
beforeAll(async () => {
  signer = await LocalSigner.create();
  otherSigner = await LocalSigner.create();
});

async function checkpointAt(
  lines: string[],
  seq: number,
  prev: Checkpoint | null = null,
  s = signer,
  reason?: "interval" | "close",
): Promise<Checkpoint> {
  const r = JSON.parse(lines[seq]) as AuditRecord;
  return signCheckpoint(s, { chainId: "c1", seq, hash: r.hash }, prev, reason);
}

describe("verifyChains", () => {
  test("an intact chain with a signed checkpoint verifies", async () => {
    const lines = chainLines("c1", 10);
    const report = verifyChains(trailOf(lines, [await checkpointAt(lines, 9)]), {
      publicJwks: [await signer.publicJwk()],
    });
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject({
      records: 10,
      firstSeq: 0,
      lastSeq: 9,
      verifiedCheckpoints: 1,
      problem: null,
    });
  });

  test.each([
    [
      "a modified byte that keeps the JSON valid",
      (l: string[]) => {
        l[4] = l[4].replace("user4", "user5");
      },
      "modified",
      4,
    ],
    [
      "a modified byte that breaks the JSON",
      (l: string[]) => {
        l[6] = l[6].slice(0, 10) + "\u0001" + l[6].slice(11);
      },
      "modified",
      6,
    ],
    [
      "a deleted record",
      (l: string[]) => {
        l.splice(3, 1);
      },
      "deleted",
      3,
    ],
    [
      "two swapped records",
      (l: string[]) => {
        [l[5], l[6]] = [l[6], l[5]];
      },
      "reordered",
      5,
    ],
    [
      "a record replayed from earlier",
      (l: string[]) => {
        l.splice(7, 0, l[2]);
      },
      "inserted",
      7,
    ],
  ])("%s is reported at its position", (_name, tamper, kind, index) => {
    const lines = chainLines("c1", 10);
    tamper(lines);
    const report = verifyChains(trailOf(lines));
    expect(report.ok).toBe(false);
    expect(report.chains[0].problem).toMatchObject({ kind, index });
  });

  test("a record inserted with a self-consistent hash is reported where it was inserted", () => {
    const lines = chainLines("c1", 6);
    const r3 = JSON.parse(lines[3]) as AuditRecord;
    const forged = sealRecord(event(99), { chainId: "c1", seq: 3, prevHash: "f".repeat(64), time: r3.time });
    lines.splice(3, 0, forged.line);
    expect(verifyChains(trailOf(lines)).chains[0].problem).toMatchObject({ kind: "inserted", index: 3 });
  });

  test("a dropped tail is reported as truncated against the signed checkpoint", async () => {
    const lines = chainLines("c1", 10);
    const cp = await checkpointAt(lines, 9);
    const report = verifyChains(trailOf(lines.slice(0, 7), [cp]), { publicJwks: [await signer.publicJwk()] });
    expect(report.chains[0].problem).toMatchObject({ kind: "truncated", index: 7, seq: 7 });
  });

  test("a dropped tail is reported against a log anchor too", () => {
    const lines = chainLines("c1", 10);
    const last = JSON.parse(lines[9]) as AuditRecord;
    const report = verifyChains(trailOf(lines.slice(0, 8)), { anchors: [{ chainId: "c1", seq: 9, hash: last.hash }] });
    expect(report.chains[0].problem).toMatchObject({ kind: "truncated", index: 8 });
  });

  test("a chain rewritten with recomputed hashes is caught by the signed checkpoint", async () => {
    const lines = chainLines("c1", 8);
    const cp = await checkpointAt(lines, 7);
    // Rewrite from seq 2 on, recomputing every hash: the chain alone looks intact.
    let prevHash = (JSON.parse(lines[1]) as AuditRecord).hash;
    for (let seq = 2; seq < 8; seq++) {
      const s = sealRecord(
        { ...event(seq), decision: { outcome: "denied" } },
        { chainId: "c1", seq, prevHash, time: new Date().toISOString() },
      );
      lines[seq] = s.line;
      prevHash = s.record.hash;
    }
    expect(verifyChains(trailOf(lines)).ok).toBe(true);
    const report = verifyChains(trailOf(lines, [cp]), { publicJwks: [await signer.publicJwk()] });
    expect(report.chains[0].problem).toMatchObject({ kind: "unsigned_rewrite", index: 7 });
  });

  test("a forged checkpoint (another key, or an altered one) fails its signature", async () => {
    const lines = chainLines("c1", 8);
    const good = await checkpointAt(lines, 3);
    const forgedKey = await checkpointAt(lines, 7, good, otherSigner);
    const altered = { ...(await checkpointAt(lines, 7, good)), hash: "a".repeat(64) };
    const jwks = [await signer.publicJwk()];
    expect(verifyChains(trailOf(lines, [good, forgedKey]), { publicJwks: jwks }).chains[0].problem).toMatchObject({
      kind: "bad_checkpoint_signature",
      index: 7,
    });
    expect(verifyChains(trailOf(lines, [good, altered]), { publicJwks: jwks }).chains[0].problem).toMatchObject({
      kind: "bad_checkpoint_signature",
      index: 7,
    });
    // With no key given, signatures are not checked, and the report says so.
    expect(verifyChains(trailOf(lines, [good]), {}).warnings.join(" ")).toMatch(/not checked/);
  });

  test("a checkpoint that does not link to the previous one is reported", async () => {
    const lines = chainLines("c1", 8);
    const a = await checkpointAt(lines, 3);
    const b = await checkpointAt(lines, 7, null); // claims to be the first
    const report = verifyChains(trailOf(lines, [a, b]), { publicJwks: [await signer.publicJwk()] });
    expect(report.chains[0].problem).toMatchObject({ kind: "checkpoint_chain_broken", index: 7 });
  });

  test("a segment (export) verifies from its first seq and is checked against its stated end", () => {
    const lines = chainLines("c1", 10);
    const r4 = JSON.parse(lines[4]) as AuditRecord;
    const r8 = JSON.parse(lines[8]) as AuditRecord;
    const segments = new Map([["c1", { firstSeq: 4, prevHash: r4.prevHash, lastSeq: 8, lastHash: r8.hash }]]);
    expect(verifyChains(trailOf(lines.slice(4, 9)), { segments }).ok).toBe(true);
    expect(verifyChains(trailOf(lines.slice(4, 8)), { segments }).chains[0].problem).toMatchObject({
      kind: "truncated",
    });
  });

  test("records after a closing checkpoint are counted and called out (appended after the gateway stopped?)", async () => {
    const lines = chainLines("c1", 6);
    const report = verifyChains(trailOf(lines, [await checkpointAt(lines, 3, null, signer, "close")]), {
      publicJwks: [await signer.publicJwk()],
    });
    expect(report.chains[0]).toMatchObject({ unsignedTail: 2, problem: null });
    expect(report.warnings.join(" ")).toMatch(/2 record\(s\) after its closing checkpoint \(seq 3\)/);
    const interval = verifyChains(trailOf(lines, [await checkpointAt(lines, 3, null, signer, "interval")]), {
      publicJwks: [await signer.publicJwk()],
    });
    expect(interval.chains[0].unsignedTail).toBe(2);
    expect(interval.warnings).toEqual([]);
  });
});
