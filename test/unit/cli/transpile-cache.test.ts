/**
 * The policy transpile cache (runtime/cli/policy/transpile-cache.ts): a hit is served without the
 * compiler, a changed source or changed options is a different entry, an unwritable cache is said
 * once and the source is still transpiled.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { transpileCache } from "../../../runtime/cli/policy/transpile-cache";

const OPTIONS = { module: "commonjs", target: "es2022", esModuleInterop: true, sourceMap: false };
const entries = (root: string) =>
  fs.readdirSync(path.join(root, "node_modules", ".cache", "gatehouse-policies")).filter((f) => f.endsWith(".js"));

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "gh-transpile-cache-"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test("the first transpile fills the cache; the same source is then served from it", () => {
  const source = "export const limit: number = 3;\n";
  const first = transpileCache(root, OPTIONS).transpile(source, "/a/limits.ts");
  expect(first).toContain("exports.limit = 3");
  expect(entries(root)).toHaveLength(1);
  // Prove the hit: the entry is what a second process gets, whatever its path.
  const entry = path.join(root, "node_modules", ".cache", "gatehouse-policies", entries(root)[0]);
  fs.writeFileSync(entry, "exports.limit = 4;\n");
  expect(transpileCache(root, OPTIONS).transpile(source, "/elsewhere/limits.ts")).toBe("exports.limit = 4;\n");
});

test("a changed source or changed options is a new entry, never a stale one", () => {
  const cache = transpileCache(root, OPTIONS);
  expect(cache.transpile("export const a = 1;\n", "/x.ts")).toContain("exports.a = 1");
  expect(cache.transpile("export const a = 2;\n", "/x.ts")).toContain("exports.a = 2");
  expect(transpileCache(root, { ...OPTIONS, target: "es2017" }).transpile("export const a = 2;\n", "/x.ts")).toContain(
    "exports.a = 2",
  );
  expect(entries(root)).toHaveLength(3);
});

test("an unwritable cache is said once on stderr and the source is still transpiled", () => {
  // A file where the cache directory should be: mkdir fails.
  fs.mkdirSync(path.join(root, "node_modules"));
  fs.writeFileSync(path.join(root, "node_modules", ".cache"), "not a directory");
  const writes: string[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    const cache = transpileCache(root, OPTIONS);
    expect(cache.transpile("export const b = 1;\n", "/y.ts")).toContain("exports.b = 1");
    expect(cache.transpile("export const c = 1;\n", "/z.ts")).toContain("exports.c = 1");
  } finally {
    spy.mockRestore();
  }
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatch(/policy transpile cache .* is not writable \(ENOTDIR|EEXIST/);
});
