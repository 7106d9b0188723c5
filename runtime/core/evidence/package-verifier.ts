/**
 * Verifies an evidence package, from its directory or its zip: the manifest parses, every file
 * it lists is present with the recorded size and sha256, nothing unlisted rides along, and the
 * completeness figures agree (each chain's record count equals its seq range; the total equals
 * the sum); for a `sample` package, every chain proof; the manifest's signature with the given
 * public keys. Returns every problem found, not just the first.
 */
import fs from "node:fs";
import type { JWK } from "jose";
import path from "node:path";
import { sha256Hex } from "../policy-model/canonical-json";
import { EvidenceManifestSchema, type EvidenceManifest } from "./manifest-schema";
import { zipFileName } from "./evidence-writer";
import { readZip } from "./zip-reader";
import { verifySampleProof } from "./sample-proof-verifier";
import { checkManifestSignature, type ManifestSignatureCheck } from "./manifest-signature";

export interface VerifyPackageOptions {
  /** Keys for the checkpoint signatures of sample proofs; without them proofs are checked for hashes and links only. */
  readonly publicJwks?: readonly JWK[];
  /** The keys were given by the user to check authorship: an unsigned manifest is then a problem. @default false */
  readonly requireSignature?: boolean;
}

export interface PackageVerification {
  readonly ok: boolean;
  readonly manifest: EvidenceManifest | null;
  readonly problems: readonly string[];
  /** The manifest signature check (`unchecked`: signed, but no key was given). */
  readonly signature: ManifestSignatureCheck | null;
}

export function verifyPackageFiles(
  files: ReadonlyMap<string, Buffer>,
  opts: VerifyPackageOptions = {},
): PackageVerification {
  const problems: string[] = [];
  const raw = files.get("manifest.json");
  if (!raw) return { ok: false, manifest: null, problems: ["manifest.json is missing"], signature: null };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    return { ok: false, manifest: null, problems: ["manifest.json is not valid JSON"], signature: null };
  }
  const parsed = EvidenceManifestSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      manifest: null,
      problems: parsed.error.issues.map((i) => `manifest.json ${i.path.join(".")}: ${i.message}`),
      signature: null,
    };
  }
  const m = parsed.data;
  const listed = new Set(m.files.map((f) => f.name));
  for (const f of m.files) {
    const content = files.get(f.name);
    if (!content) problems.push(`${f.name}: listed in the manifest but missing`);
    else if (content.length !== f.bytes || sha256Hex(content) !== f.sha256)
      problems.push(`${f.name}: sha256 does not match the manifest (modified)`);
  }
  for (const name of files.keys()) {
    if (name !== "manifest.json" && !listed.has(name)) problems.push(`${name}: not listed in the manifest`);
  }
  let total = 0;
  for (const c of m.chains) {
    total += c.recordCount;
    const span = c.firstSeq === null || c.lastSeq === null ? 0 : c.lastSeq - c.firstSeq + 1;
    if (!c.contiguous || span !== c.recordCount)
      problems.push(
        `chain ${c.chainId}: ${c.recordCount} records for seq range ${c.firstSeq}..${c.lastSeq} (incomplete population)`,
      );
  }
  if (total !== m.recordCount)
    problems.push(`manifest recordCount ${m.recordCount} differs from the chains' total ${total}`);
  const docs = m.report.name === "sample" ? files.get("sample.jsonl") : undefined;
  if (docs && problems.length === 0) {
    for (const line of docs
      .toString("utf8")
      .split("\n")
      .filter((l) => l.trim())) {
      const check = verifySampleProof(JSON.parse(line), opts.publicJwks ?? []);
      if (!check.ok) problems.push(`sample ${check.eventId}: ${check.problem}`);
    }
  }
  const signature = checkManifestSignature(json as Record<string, unknown>, opts.publicJwks ?? []);
  if (signature === "invalid")
    problems.push(
      "manifest.json: the signature does not verify with the given key (the manifest was modified, or signed by another key)",
    );
  if (signature === "unknown_key")
    problems.push(`manifest.json: signed with key ${m.signature?.kid}, which is not among the keys given`);
  if (signature === "unsigned" && opts.requireSignature)
    problems.push("manifest.json is not signed, but a public key was given to check its signature");
  return { ok: problems.length === 0, manifest: m, problems, signature };
}

/** Verifies a package directory (written by writeEvidencePackage) or a zip file. */
export function verifyEvidencePackage(target: string, opts: VerifyPackageOptions = {}): PackageVerification {
  const files = new Map<string, Buffer>();
  if (fs.statSync(target).isDirectory()) {
    const manifestPath = path.join(target, "manifest.json");
    if (!fs.existsSync(manifestPath))
      return { ok: false, manifest: null, problems: ["manifest.json is missing"], signature: null };
    files.set("manifest.json", fs.readFileSync(manifestPath));
    // Only the manifest's files are checked in a directory (the zip and other outputs sit beside them).
    let names: string[];
    try {
      names =
        (JSON.parse(files.get("manifest.json")!.toString("utf8")) as { files?: { name?: unknown }[] }).files?.map((f) =>
          String(f.name),
        ) ?? [];
    } catch {
      names = [];
    }
    for (const n of names) {
      const p = path.join(target, path.basename(n));
      if (fs.existsSync(p)) files.set(n, fs.readFileSync(p));
    }
    const dirResult = verifyPackageFiles(files, opts);
    // The zip written beside the files must be the same package (same manifest) and verify too.
    const zipPath = dirResult.manifest ? path.join(target, zipFileName(dirResult.manifest.report.name)) : null;
    if (!zipPath || !fs.existsSync(zipPath)) return dirResult;
    const zipResult = verifyEvidencePackage(zipPath, opts);
    const problems = [...dirResult.problems, ...zipResult.problems.map((p) => `${path.basename(zipPath)}: ${p}`)];
    const zipManifest = readZipManifest(zipPath);
    if (zipManifest && !zipManifest.equals(files.get("manifest.json")!))
      problems.push(`${path.basename(zipPath)}: its manifest.json differs from the directory's`);
    return { ok: problems.length === 0, manifest: dirResult.manifest, problems, signature: dirResult.signature };
  } else {
    try {
      for (const e of readZip(fs.readFileSync(target))) files.set(e.name, e.content);
    } catch (e) {
      return {
        ok: false,
        manifest: null,
        problems: [`${path.basename(target)}: ${(e as Error).message}`],
        signature: null,
      };
    }
  }
  return verifyPackageFiles(files, opts);
}

function readZipManifest(zipPath: string): Buffer | null {
  try {
    return readZip(fs.readFileSync(zipPath)).find((e) => e.name === "manifest.json")?.content ?? null;
  } catch {
    return null;
  }
}
