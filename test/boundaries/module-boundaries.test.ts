/**
 * Module boundaries (issue 14, item 4): no import cycle between the top-level folders, the runtime
 * never pulls in the infrastructure code or cdktf, the CLI never imports the dev stack, and the
 * policy model (what policies/ and the runtime share) is a leaf.
 */
import { repoRoot } from "../../runtime/core/repo-root";
import { findCycle, importsOf, sourceFiles, topFolder, type ImportEdge } from "./import-graph";

const root = repoRoot();
const FOLDERS = ["policies", "runtime", "stacks", "dev", "bench"];
const edges: ImportEdge[] = FOLDERS.flatMap((dir) => sourceFiles(root, dir)).flatMap((f) => importsOf(root, f));
const within = (dir: string) => edges.filter((e) => e.from.startsWith(`${dir}/`));
/** "file -> specifier", so a failure names the offending line. */
const show = (e: ImportEdge) => `${e.from} -> ${e.specifier}`;
const INFRA_PACKAGE = /^(cdktf|cdktf-cli|constructs|@cdktf\/.*)(\/|$)/;

describe("the import graph read from the sources", () => {
  test("sees the imports of every folder (a graph that reads nothing proves nothing)", () => {
    for (const dir of FOLDERS) expect({ dir, imports: within(dir).length > 0 }).toEqual({ dir, imports: true });
    expect(within("runtime").some((e) => e.to === "runtime/core/policy-model/schema")).toBe(true);
    expect(within("stacks").some((e) => e.to !== null && e.to.startsWith("runtime/"))).toBe(true);
    expect(within("stacks").some((e) => e.specifier.startsWith("cdktf"))).toBe(true);
  });

  test("findCycle finds a cycle through several nodes and none in a DAG", () => {
    const g = (pairs: [string, string][]) => {
      const m = new Map<string, Set<string>>();
      for (const [a, b] of pairs) m.set(a, (m.get(a) ?? new Set()).add(b)).set(b, m.get(b) ?? new Set());
      return m;
    };
    expect(
      findCycle(
        g([
          ["a", "b"],
          ["b", "c"],
          ["a", "c"],
        ]),
      ),
    ).toBeNull();
    expect(
      findCycle(
        g([
          ["a", "b"],
          ["b", "c"],
          ["c", "a"],
        ]),
      ),
    ).toEqual(["a", "b", "c", "a"]);
  });
});

describe("module boundaries", () => {
  test("no import cycle between policies/, runtime/, stacks/, dev/ and bench/", () => {
    const graph = new Map<string, Set<string>>(FOLDERS.map((f) => [f, new Set<string>()]));
    for (const e of edges) {
      if (e.to === null) continue;
      const [a, b] = [topFolder(e.from), topFolder(e.to)];
      if (a !== b && FOLDERS.includes(b)) graph.get(a)!.add(b);
    }
    const cycle = findCycle(graph);
    // On failure, name the imports that close the cycle.
    const closing = cycle
      ? edges
          .filter(
            (e) => e.to && cycle.slice(1).some((b, i) => topFolder(e.from) === cycle[i] && topFolder(e.to!) === b),
          )
          .map(show)
      : [];
    expect({ cycle, closing }).toEqual({ cycle: null, closing: [] });
  });

  test("runtime/ never imports stacks/, dev/, policies/, bench/ or cdktf", () => {
    const bad = within("runtime").filter(
      (e) => (e.to !== null && /^(stacks|dev|policies|bench)\//.test(e.to)) || INFRA_PACKAGE.test(e.specifier),
    );
    expect(bad.map(show)).toEqual([]);
  });

  test("the CLI (runtime/cli) never imports dev/", () => {
    expect(
      within("runtime/cli")
        .filter((e) => e.to !== null && /^dev\//.test(e.to))
        .map(show),
    ).toEqual([]);
  });

  test("the policy model is a leaf: it imports only itself and packages, never cdktf or constructs", () => {
    const model = within("runtime/core/policy-model");
    expect(model.length).toBeGreaterThan(0);
    const bad = model.filter(
      (e) => (e.to !== null && !e.to.startsWith("runtime/core/policy-model/")) || INFRA_PACKAGE.test(e.specifier),
    );
    expect(bad.map(show)).toEqual([]);
  });

  test("policies/ reaches the runtime only through the policy model and the error base class", () => {
    const bad = within("policies").filter(
      (e) =>
        e.to !== null &&
        e.to.startsWith("runtime/") &&
        !e.to.startsWith("runtime/core/policy-model/") &&
        e.to !== "runtime/core/errors",
    );
    expect(bad.map(show)).toEqual([]);
  });
});
