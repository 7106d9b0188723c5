/**
 * `npm run bench -- <name> [flags]`: runs dist/bench/<name>/index.js in its own process (each
 * benchmark owns its flags and warm-up); with no name, lists the benchmarks.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

function available(): string[] {
  return fs
    .readdirSync(__dirname, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(__dirname, d.name, "index.js")))
    .map((d) => d.name)
    .sort();
}

function main(argv: string[]): number {
  const [name, ...rest] = argv;
  const names = available();
  if (!name || name === "--help" || !names.includes(name)) {
    process.stderr.write(
      `usage: npm run bench -- <name> [flags]\nbenchmarks: ${names.join(", ") || "(none built: run npm run build)"}\n`,
    );
    return name && name !== "--help" ? 2 : 0;
  }
  const r = spawnSync(process.execPath, [path.join(__dirname, name, "index.js"), ...rest], { stdio: "inherit" });
  return r.status ?? 1;
}

process.exit(main(process.argv.slice(2)));
