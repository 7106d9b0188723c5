/**
 * The repository's import graph read from its TypeScript sources with the compiler's own
 * pre-processor (ts.preProcessFile: imports, re-exports, require() and import() calls, no type
 * check), so the boundary test sees exactly the specifiers tsc resolves.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export interface ImportEdge {
  /** Repository-relative path of the importing file. */
  readonly from: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** Repository-relative path it resolves to, or null for a package (or node:) import. */
  readonly to: string | null;
}

const SKIP = new Set(["node_modules", "dist", "dist-image", "cdktf.out", ".gatehouse", ".git"]);

/** Every .ts/.mts/.mjs file under `dir` (repository-relative), skipping build output and state. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/\.(ts|mts|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(child);
    }
  };
  if (fs.existsSync(path.join(root, dir))) walk(dir);
  return out;
}

/** The imports of one file; relative ones resolved to repository-relative paths. */
export function importsOf(root: string, file: string): ImportEdge[] {
  const info = ts.preProcessFile(fs.readFileSync(path.join(root, file), "utf8"), true, true);
  return info.importedFiles.map(({ fileName: specifier }) => {
    if (!specifier.startsWith(".")) return { from: file, specifier, to: null };
    const to = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    return { from: file, specifier, to };
  });
}

/** The top-level folder of a repository-relative path ("main.ts" for root files). */
export const topFolder = (file: string): string => file.split("/")[0];

/**
 * A cycle in a directed graph given as adjacency sets, as the list of its nodes (first repeated
 * at the end), or null when the graph is acyclic.
 */
export function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return null;
}
