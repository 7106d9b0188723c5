/**
 * Where the policy commands get a bundle from: the declared policies of a source tree (compiled
 * from TypeScript like `buildDeclaredBundle()`), or a bundle file. Either way the result is
 * checked exactly as the runtime checks it at start.
 */
import fs from "node:fs";
import path from "node:path";
import type { PolicyBundle } from "../../core/policy-model/schema";
import { repoRoot } from "../../core/repo-root";
import { loadBundleFile, parseBundle } from "../../core/policy/load-bundle";
import { isGatehouseError } from "../../core/errors";
import { CliError } from "../cli-error";
import { gitTopLevel, headCommit } from "./git-tree";
import { buildTreeBundle } from "./load-policies-module";

/** The tree whose policies are built: the git repository of the working directory when it has the policies module, else the Gatehouse installation. */
export function treeRoot(modulePath: string, cwd: string = process.cwd()): string {
  const top = gitTopLevel(cwd);
  if (top && fs.existsSync(path.resolve(top, modulePath))) return top;
  return repoRoot();
}

/** The commit stamped on a working-tree build: GATEHOUSE_POLICY_COMMIT, else HEAD, else none. */
export function workingTreeCommit(root: string): string | null {
  const override = process.env.GATEHOUSE_POLICY_COMMIT;
  if (override !== undefined) return override.trim() === "" ? null : override.trim();
  return headCommit(root);
}

function problemsOf(e: unknown): string[] | null {
  // The tree's own PolicyValidationError class (loaded from its sources) is not ours: duck-type it.
  const x = e as { code?: unknown; problems?: unknown; details?: { problems?: unknown } };
  if (x && x.code === "ERR_POLICY_INVALID") {
    const problems = Array.isArray(x.problems) ? x.problems : x.details?.problems;
    if (Array.isArray(problems)) return problems.map(String);
  }
  return null;
}

export function buildFromTree(root: string, modulePath: string, commit: string | null, label: string): PolicyBundle {
  let raw: unknown;
  try {
    raw = buildTreeBundle(root, modulePath, commit);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const problems = problemsOf(e);
    if (problems)
      throw new CliError(
        `the policies of ${label} fail validation (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        1,
      );
    throw new CliError(`cannot build the policies of ${label}: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  try {
    return parseBundle(raw, label);
  } catch (e) {
    if (isGatehouseError(e)) throw new CliError(e.message, 1);
    throw e;
  }
}

export function bundleFromFile(file: string): PolicyBundle {
  try {
    return loadBundleFile(file);
  } catch (e) {
    if (isGatehouseError(e))
      throw new CliError(`${e.message}\nrebuild it with: gatehouse policy build --out ${file}`, 2);
    throw e;
  }
}
