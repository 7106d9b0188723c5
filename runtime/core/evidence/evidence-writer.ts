/**
 * Writes an evidence package into a directory and zips the whole (yazl) into
 * `<report>-evidence.zip` beside it, ready to upload to a compliance tool. The zip's own sha256
 * is returned (it cannot be inside the manifest it contains).
 */
import fs from "node:fs";
import path from "node:path";
import { ZipFile } from "yazl";
import { sha256Hex } from "../policy-model/canonical-json";
import type { EvidencePackage } from "./evidence-package";

export interface WrittenPackage {
  readonly dir: string;
  readonly files: readonly string[];
  readonly zipPath: string;
  readonly zipSha256: string;
}

export function zipFileName(report: string): string {
  return `${report}-evidence.zip`;
}

export function zipPackage(pkg: EvidencePackage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    // A fixed mtime (the extraction time) makes the zip a function of its contents.
    const mtime = new Date(pkg.manifest.extractedAt);
    for (const f of pkg.files) zip.addBuffer(f.content, f.name, { mtime, mode: 0o100644 });
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    zip.end();
  });
}

export async function writeEvidencePackage(outDir: string, pkg: EvidencePackage): Promise<WrittenPackage> {
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of pkg.files) fs.writeFileSync(path.join(outDir, f.name), f.content);
  const zip = await zipPackage(pkg);
  const zipPath = path.join(outDir, zipFileName(pkg.manifest.report.name));
  fs.writeFileSync(zipPath, zip);
  return { dir: outDir, files: pkg.files.map((f) => f.name), zipPath, zipSha256: sha256Hex(zip) };
}
