/**
 * What compose.yaml's `setup` service compiles (dev/compose/tsconfig.json) for the dev containers,
 * checked without an engine: the CLI there has every command (runtime/cli/main.ts discovers them
 * at run time, so nothing imports them and tsc compiles only what it is told), and every source it
 * needs is inside the dev container — dev/ (mounted) or what the Dockerfile's dev stage copies.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { repoRoot } from "../../runtime/core/repo-root";

const root = repoRoot();
const configFile = path.join(root, "dev", "compose", "tsconfig.json");
const parsed = ts.parseJsonConfigFileContent(
  ts.readConfigFile(configFile, (f) => ts.sys.readFile(f)).config,
  ts.sys,
  path.dirname(configFile),
);
const sources = parsed.fileNames.map((f) => path.relative(root, path.resolve(f)).split(path.sep).join("/"));

/** The sources the compile reaches through imports, as tsc resolves them. */
const reached = (): string[] => {
  const program = ts.createProgram(parsed.fileNames, { ...parsed.options, noEmit: true });
  return program
    .getSourceFiles()
    .map((s) => path.relative(root, s.fileName).split(path.sep).join("/"))
    .filter((f) => !f.split("/").includes("node_modules"));
};

test("every CLI command is compiled, so `compose exec issuer gatehouse <command>` finds it", () => {
  const commands = fs
    .readdirSync(path.join(root, "runtime", "cli", "commands"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => `runtime/cli/commands/${f}`);
  expect(commands.length).toBeGreaterThan(0);
  expect(commands.filter((c) => !sources.includes(c))).toEqual([]);
});

test("what it compiles is in the dev container: dev/ (mounted) or the dev stage's runtime/, policies/", () => {
  const dockerfile = fs.readFileSync(path.join(root, "runtime", "Dockerfile"), "utf8");
  const devStage = /FROM \S+ AS dev\n([\s\S]*?)\nFROM /.exec(dockerfile)?.[1] ?? "";
  const copied = [...devStage.matchAll(/^COPY (\S+) \.\/\S*$/gm)].map((m) => m[1]);
  expect(copied).toEqual(expect.arrayContaining(["runtime", "policies"]));
  const inContainer = (f: string) => f.startsWith("dev/") || copied.some((c) => f.startsWith(`${c}/`));
  expect(reached().filter((f) => !inContainer(f))).toEqual([]);
}, 120_000);
