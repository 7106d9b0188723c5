/**
 * Transpiled policy sources, cached by content. `policy build|diff|explain` and `evidence` without
 * `--policy` load the policies module from TypeScript source; loading the compiler and transpiling
 * the tree cost about 1.2 s per command, the same every time for the same sources. The cache keeps
 * each file's JavaScript under the sha256 of (cache format, TypeScript version, compiler options,
 * source text): a changed file, a changed compiler or changed options is a different key, so a hit is
 * always what transpiling would give. The file's path is not in the key — CommonJS output without a
 * source map does not depend on it — so a checkout of a base ref (`policy diff`) hits too.
 *
 * Where: `node_modules/.cache/gatehouse-policies/` of the repository whose compiler is used — the
 * conventional place for such caches (babel-loader, eslint), owned by whoever owns node_modules, so
 * it is trusted exactly as much as the compiler it stands in for. Entries are written to a temporary
 * name and renamed, so a reader never sees half a file.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const CACHE_FORMAT = "1";

export interface TranspileCache {
  /** The JavaScript of a TypeScript source, from the cache or transpiled (and then cached). */
  transpile(source: string, fileName: string): string;
}

export function transpileCache(cacheRoot: string, options: Record<string, unknown>): TranspileCache {
  const tsVersion = (
    JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")) as { version: string }
  ).version;
  const dir = path.join(cacheRoot, "node_modules", ".cache", "gatehouse-policies");
  let ts: typeof import("typescript") | null = null;
  let unwritable: string | null = null;
  return {
    transpile(source, fileName) {
      const key = createHash("sha256")
        .update(JSON.stringify([CACHE_FORMAT, tsVersion, options, source]))
        .digest("hex");
      const entry = path.join(dir, `${key}.js`);
      if (fs.existsSync(entry)) return fs.readFileSync(entry, "utf8");
      // Loaded only on a miss: the compiler alone is ~0.3 s of a command's start.
      ts ??= require("typescript") as typeof import("typescript");
      const out = ts.transpileModule(source, {
        fileName,
        compilerOptions: options as import("typescript").CompilerOptions,
      }).outputText;
      if (unwritable === null) {
        try {
          fs.mkdirSync(dir, { recursive: true });
          const tmp = `${entry}.${process.pid}.tmp`;
          fs.writeFileSync(tmp, out);
          fs.renameSync(tmp, entry);
        } catch (e) {
          // Said once: the command still works, only without the cache.
          unwritable = (e as NodeJS.ErrnoException).code ?? "error";
          process.stderr.write(
            `gatehouse: note: the policy transpile cache ${dir} is not writable (${unwritable}); continuing without it\n`,
          );
        }
      }
      return out;
    },
  };
}
