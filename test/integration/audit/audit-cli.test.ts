/**
 * `gatehouse audit verify|export` through the built CLI (node bin/gatehouse.js), on Azurite.
 * Needs a build: `npx tsc -p tsconfig.build.json` (npm test builds first).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { openBlobAuditSink } from "../../../runtime/core/audit/blob-audit-sink";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { startAuditAzurite, toolCallEvent, type AzuriteFixture } from "./audit-fixtures";

const repo = path.resolve(__dirname, "..", "..", "..");
const bin = path.join(repo, "bin", "gatehouse.js");
const run = promisify(execFile);

async function cli(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    GATEHOUSE_STORAGE_CONNECTION_STRING: "",
    GATEHOUSE_STORAGE_BLOB_URL: "",
    GATEHOUSE_HOME: "",
    ...opts.env,
  };
  try {
    const r = await run(process.execPath, [bin, ...args], { cwd: opts.cwd ?? tmp, env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let fx: AzuriteFixture;
let tmp: string;
let keyFile: string;
let cs: string;
beforeAll(async () => {
  if (!fs.existsSync(path.join(repo, "dist", "runtime", "cli", "commands", "audit.js")))
    throw new Error("build first: npx tsc -p tsconfig.build.json");
  fx = await startAuditAzurite();
  cs = fx.azurite.connectionString;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-audit-cli-"));
  const signer = await LocalSigner.create();
  keyFile = path.join(tmp, "gateway.jwk.json");
  fs.writeFileSync(keyFile, JSON.stringify(await signer.publicJwk()));
  for (const chainId of ["gw-1", "gw-2"]) {
    const sink = await openBlobAuditSink({ blobService: fx.blobService, chainId, signer });
    for (let i = 0; i < 6; i++)
      await sink.write(toolCallEvent({ i, user: i % 2 ? "bob" : "alice", server: i % 3 ? "customers" : "files" }));
    await sink.close();
  }
});
afterAll(async () => {
  await fx?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("gatehouse audit verify", () => {
  test("exit 0 on an intact store (named by the environment), with signatures checked against the given public key", async () => {
    const j = await cli(["audit", "verify", "--json", "--public-key", keyFile], {
      env: { GATEHOUSE_STORAGE_CONNECTION_STRING: cs },
    });
    expect(j.code).toBe(0);
    const report = JSON.parse(j.stdout);
    expect(report.ok).toBe(true);
    expect(
      report.chains.map((c: { records: number; verifiedCheckpoints: number }) => [c.records, c.verifiedCheckpoints]),
    ).toEqual([
      [6, 1],
      [6, 1],
    ]);
  });

  test("finds the local stack's store from .gatehouse/local-stack.json, and explains what to do when there is none", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "stack-"));
    const none = await cli(["audit", "verify"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--connection-string/);
    fs.mkdirSync(path.join(dir, ".gatehouse"));
    const signingPublicJwk = JSON.parse(fs.readFileSync(keyFile, "utf8"));
    fs.writeFileSync(
      path.join(dir, ".gatehouse", "local-stack.json"),
      JSON.stringify({ storageConnectionString: cs, signingPublicJwk }),
    );
    fs.mkdirSync(path.join(dir, "sub"));
    // No flags at all: the store and the gateway's public key both come from the local stack's record.
    const found = await cli(["audit", "verify"], { cwd: path.join(dir, "sub") });
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(/1 checkpoints \(1 signature-verified\)/);
    expect(found.stdout).toMatch(/VERIFIED: 2 chain\(s\), 12 record\(s\)/);
    expect(found.stdout).not.toMatch(/published in the store/);
  });

  test("exit 3 when the store is unreachable", async () => {
    const dead = cs.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:9");
    const r = await cli(["audit", "verify", "--connection-string", dead]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unreachable/);
  });

  test("exit 1 with the position when a chain was tampered with", async () => {
    // Append a forged line to gw-2's blob (append is all the container allows; a rewrite is tested on copies elsewhere).
    const blob = fx.blobService.getContainerClient("audit").getAppendBlobClient("chains/gw-2/000001.jsonl");
    const lines = (await blob.downloadToBuffer()).toString("utf8").split("\n").filter(Boolean);
    const forged = lines[2] + "\n";
    const copy = fx.blobService.getContainerClient("tampered");
    await copy.create();
    const dst = copy.getAppendBlobClient("chains/gw-2/000001.jsonl");
    await dst.create();
    const body = lines.slice(0, 4).join("\n") + "\n" + forged;
    await dst.appendBlock(body, Buffer.byteLength(body));
    const r = await cli(["audit", "verify", "--connection-string", cs, "--container", "tampered"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/chain gw-2: .*PROBLEM inserted at position 4 \(seq 4\) chains\/gw-2\/000001\.jsonl:5/);
  });
});

describe("gatehouse audit export", () => {
  const period = ["--from", "2020-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z"];

  test("a complete jsonl export holds the stored lines, a manifest, and verifies as whole chains", async () => {
    const out = path.join(tmp, "all.jsonl");
    const r = await cli(["audit", "export", ...period, "--format", "jsonl", "--out", out, "--connection-string", cs]);
    expect(r.code).toBe(0);
    const stored = (
      await fx.blobService
        .getContainerClient("audit")
        .getAppendBlobClient("chains/gw-1/000001.jsonl")
        .downloadToBuffer()
    ).toString("utf8");
    expect(fs.readFileSync(out, "utf8").startsWith(stored)).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(`${out}.manifest.json`, "utf8"));
    expect(manifest).toMatchObject({
      complete: true,
      format: "jsonl",
      file: { records: 12 },
      sourceVerification: { ok: true },
    });
    expect(
      manifest.chains.map((c: { chainId: string; firstSeq: number; lastSeq: number }) => [
        c.chainId,
        c.firstSeq,
        c.lastSeq,
      ]),
    ).toEqual([
      ["gw-1", 0, 5],
      ["gw-2", 0, 5],
    ]);
    expect(manifest.checkpoints).toHaveLength(2);

    const v = await cli(["audit", "verify", "--file", out, "--public-key", keyFile, "--json"]);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, mode: "whole_chains", fileSha256Matches: true });

    // Any edit of the file is caught (hash in the manifest, and the record's own hash).
    fs.writeFileSync(out, fs.readFileSync(out, "utf8").replace("alice@example.test", "mallory@example.t"));
    const bad = await cli(["audit", "verify", "--file", out, "--public-key", keyFile]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/PROBLEM modified at position 0/);
  });

  test("a filtered export verifies record by record and lists the gaps it cannot vouch for", async () => {
    const out = path.join(tmp, "alice.jsonl");
    const r = await cli([
      "audit",
      "export",
      ...period,
      "--user",
      "alice",
      "--format",
      "jsonl",
      "--out",
      out,
      "--connection-string",
      cs,
    ]);
    expect(r.code).toBe(0);
    const records = fs
      .readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(6);
    expect(new Set(records.map((x) => x.actor.username))).toEqual(new Set(["alice@example.test"]));
    expect(JSON.parse(fs.readFileSync(`${out}.manifest.json`, "utf8"))).toMatchObject({
      complete: false,
      filters: { user: "alice" },
    });
    const v = await cli(["audit", "verify", "--file", out, "--json"]);
    expect(v.code).toBe(0);
    const report = JSON.parse(v.stdout);
    expect(report.mode).toBe("filtered");
    expect(report.gaps).toContainEqual({ chainId: "gw-1", fromSeq: 1, toSeq: 1 });
  });

  test("csv export and usage errors", async () => {
    const out = path.join(tmp, "files.csv");
    const r = await cli([
      "audit",
      "export",
      ...period,
      "--server",
      "files",
      "--format",
      "csv",
      "--out",
      out,
      "--connection-string",
      cs,
    ]);
    expect(r.code).toBe(0);
    const rows = fs.readFileSync(out, "utf8").trim().split("\r\n");
    expect(rows[0]).toMatch(/^id,time,chainId,seq,kind,/);
    expect(rows).toHaveLength(1 + 4);
    const [verified, badDate, badFormat] = await Promise.all([
      cli(["audit", "verify", "--file", out]),
      cli([
        "audit",
        "export",
        "--from",
        "yesterday",
        "--to",
        "2100-01-01",
        "--format",
        "csv",
        "--out",
        path.join(tmp, "x.csv"),
        "--connection-string",
        cs,
      ]),
      cli([
        "audit",
        "export",
        ...period,
        "--format",
        "xml",
        "--out",
        path.join(tmp, "y.xml"),
        "--connection-string",
        cs,
      ]),
    ]);
    expect(verified.code).toBe(0);
    expect([badDate.code, badFormat.code]).toEqual([2, 2]);
  });
});
