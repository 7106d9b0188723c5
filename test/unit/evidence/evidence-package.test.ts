import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildEvidencePackage, type PackageMeta } from "../../../runtime/core/evidence/evidence-package";
import { writeEvidencePackage, zipPackage } from "../../../runtime/core/evidence/evidence-writer";
import { verifyEvidencePackage, verifyPackageFiles } from "../../../runtime/core/evidence/package-verifier";
import { readZip } from "../../../runtime/core/evidence/zip-reader";
import { chainRanges } from "../../../runtime/core/evidence/period";
import { approvalsReport } from "../../../runtime/core/evidence/approvals-report";
import { ALICE, BOB, TrailBuilder, approvalEvent, call, testBundle } from "./trail-fixture";

const period = { from: "2026-03-01T00:00:00.000Z", to: "2026-03-02T00:00:00.000Z" };
const b = testBundle();

function pkg() {
  const t = new TrailBuilder();
  t.add("gw-1", 0, approvalEvent(b, "approval.requested", ALICE, "ap-1", { correlationId: "c-1" }));
  t.add("gw-1", 1, approvalEvent(b, "approval.decided", ALICE, "ap-1", { requester: ALICE }));
  t.add("gw-1", 2, call(b, BOB, "files", "read", "allowed"));
  const meta: PackageMeta = {
    generatorVersion: "0.1.0",
    source: {
      type: "azure-blob",
      endpoint: "http://127.0.0.1:1/devstoreaccount1?sv=2024&sig=secret",
      container: "audit",
    },
    filters: { from: period.from, to: period.to },
    period,
    extractedAt: "2026-03-03T00:00:00.000Z",
    chains: chainRanges(t.chains, period),
    chainVerification: { ok: true, summary: "1 chain verified" },
    suppliedPolicyVersions: [b.version],
    commitCheck: "unverifiable",
  };
  return buildEvidencePackage(approvalsReport({ chains: t.chains, bundles: [b], period }), meta);
}

describe("evidence package", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-evidence-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the manifest records the report, filters, counts and the sha256 of every file; dir and zip verify", async () => {
    const p = pkg();
    expect(p.manifest).toMatchObject({
      report: { name: "approvals", version: "1.1.0" },
      recordCount: 3,
      rowCount: 1,
      exceptionCount: 1,
      filters: period,
    });
    expect(p.manifest.source.endpoint).toBe("http://127.0.0.1:1/devstoreaccount1");
    expect(p.manifest.files.map((f) => f.name)).toEqual([
      "approvals.csv",
      "approvals.jsonl",
      "approvals.exceptions.csv",
      "approvals.exceptions.jsonl",
      "README.md",
    ]);
    expect(p.manifest.chains).toEqual([
      expect.objectContaining({ chainId: "gw-1", firstSeq: 0, lastSeq: 2, recordCount: 3 }),
    ]);
    const written = await writeEvidencePackage(dir, p);
    expect(verifyEvidencePackage(dir)).toMatchObject({ ok: true, problems: [] });
    expect(verifyEvidencePackage(written.zipPath)).toMatchObject({ ok: true, problems: [] });
    expect(readZip(fs.readFileSync(written.zipPath)).map((e) => e.name)).toEqual([
      ...p.manifest.files.map((f) => f.name),
      "manifest.json",
    ]);
    // The zip is a function of its contents.
    expect((await zipPackage(p)).equals(fs.readFileSync(written.zipPath))).toBe(true);
    expect(fs.readFileSync(path.join(dir, "approvals.exceptions.jsonl"), "utf8")).toContain("self_approval");
  });

  test("a modified, missing or extra file and an incomplete population fail verification", async () => {
    const p = pkg();
    await writeEvidencePackage(dir, p);
    fs.appendFileSync(path.join(dir, "approvals.csv"), "forged,row\r\n");
    fs.rmSync(path.join(dir, "approvals.jsonl"));
    const v = verifyEvidencePackage(dir);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([
      expect.stringMatching(/^approvals\.csv: sha256/),
      expect.stringMatching(/^approvals\.jsonl: listed/),
    ]);

    const files = new Map(p.files.map((f) => [f.name, f.content]));
    files.set("extra.csv", Buffer.from("x"));
    expect(verifyPackageFiles(files).problems).toEqual(["extra.csv: not listed in the manifest"]);

    const m = { ...p.manifest, chains: [{ ...p.manifest.chains[0], recordCount: 2 }] };
    const holes = new Map(p.files.map((f) => [f.name, f.content]));
    holes.set("manifest.json", Buffer.from(JSON.stringify(m)));
    expect(verifyPackageFiles(holes).problems).toEqual([
      expect.stringMatching(/incomplete population/),
      expect.stringMatching(/differs from the chains' total/),
    ]);
  });

  test("a directory's zip is verified with it and must hold the same manifest", async () => {
    const p = pkg();
    const written = await writeEvidencePackage(dir, p);
    const other = await zipPackage({
      ...p,
      files: p.files.map((f) =>
        f.name === "manifest.json" ? { ...f, content: Buffer.concat([f.content, Buffer.from(" ")]) } : f,
      ),
    });
    fs.writeFileSync(written.zipPath, other);
    expect(verifyEvidencePackage(dir).problems).toEqual([
      "approvals-evidence.zip: its manifest.json differs from the directory's",
    ]);
  });

  test("a tampered zip entry fails verification", async () => {
    const p = pkg();
    const zip = await zipPackage({
      ...p,
      files: p.files.map((f) => (f.name === "approvals.csv" ? { ...f, content: Buffer.from("tampered") } : f)),
    });
    fs.writeFileSync(path.join(dir, "t.zip"), zip);
    expect(verifyEvidencePackage(path.join(dir, "t.zip")).problems).toEqual([
      expect.stringMatching(/^approvals\.csv: sha256/),
    ]);
    fs.writeFileSync(path.join(dir, "junk.zip"), Buffer.from("not a zip at all, really not"));
    expect(verifyEvidencePackage(path.join(dir, "junk.zip")).ok).toBe(false);
  });
});
