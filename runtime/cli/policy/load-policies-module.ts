/**
 * Builds the bundle declared by a source tree (the working tree or a checkout of a base ref)
 * by loading its policies module from TypeScript source: each .ts file is transpiled on require
 * (no type check, no dist/ needed; cached by content, transpile-cache.ts), so `policy build` reflects the sources as they are and
 * `policy diff` can build any commit. The tree's own library code is used, never ours, and the
 * runtime never imports the construct library statically (module boundary).
 */
import fs from "node:fs";
import Module from "node:module";
import path from "node:path";
import { CliError } from "../cli-error";
import { repoRoot } from "../../core/repo-root";
import { transpileCache } from "./transpile-cache";

export const DEFAULT_POLICIES_MODULE = "policies/index.ts";

type Compile = (
  this: NodeJS.Module & { _compile(code: string, file: string): void },
  module: NodeJS.Module,
  filename: string,
) => void;

export function buildTreeBundle(root: string, modulePath: string, commit: string | null): unknown {
  const file = path.resolve(root, modulePath);
  if (!fs.existsSync(file))
    throw new CliError(
      `policies module ${modulePath} not found under ${root}: pass --policies-module <path relative to the repository>`,
      2,
    );
  // typescript is a dev dependency: the policy commands run where policies are written and reviewed.
  // Options by name (transpileModule accepts them so), so a cache hit never loads the compiler.
  const cache = transpileCache(repoRoot(), {
    module: "commonjs",
    target: "es2022",
    esModuleInterop: true,
    sourceMap: false,
  });
  const extensions = (Module as unknown as { _extensions: Record<string, Compile> })._extensions;
  const previous = extensions[".ts"];
  extensions[".ts"] = function (module, filename) {
    const js = cache.transpile(fs.readFileSync(filename, "utf8"), filename);
    (module as unknown as { _compile(code: string, file: string): void })._compile(js, filename);
  };
  try {
    const mod = require(file) as { buildDeclaredBundle?: (o?: { commit?: string | null; cwd?: string }) => unknown };
    if (typeof mod.buildDeclaredBundle !== "function")
      throw new CliError(`${modulePath} does not export buildDeclaredBundle(): export it from the policies module`, 2);
    return mod.buildDeclaredBundle({ commit, cwd: root });
  } finally {
    if (previous) extensions[".ts"] = previous;
    else delete extensions[".ts"];
  }
}
