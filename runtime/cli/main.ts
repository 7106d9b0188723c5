/**
 * `gatehouse` CLI entry point. Each command lives in commands/<name>.ts and exports
 * `register(program)`; they are discovered here so commands can be added independently.
 *
 * Exit codes (documented in docs/cli.md): 0 success; 1 the check failed (verification failed,
 * policy widened without a label, ...); 2 usage or input error; 3 an external service was
 * unreachable (audit store, issuer, gateway).
 */
import fs from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { CliError } from "./cli-error";
import { repoRoot } from "../core/repo-root";

export function buildProgram(): Command {
  const program = new Command();
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as { version: string };
  program
    .name("gatehouse")
    .description("Gatehouse: policies, masking, audit and evidence for the MCP gateway")
    .version(pkg.version)
    .showHelpAfterError("(add --help for additional information)")
    .exitOverride();
  const dir = path.join(__dirname, "commands");
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  for (const file of files) {
    // .js from dist/; .ts when the tests run the sources through ts-jest.
    if (!/\.(js|ts)$/.test(file) || file.endsWith(".d.ts")) continue;
    const mod = require(path.join(dir, file)) as { register?: (p: Command) => void };
    mod.register?.(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 2.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof CliError) {
      process.stderr.write(`gatehouse: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`gatehouse: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => process.exit(code));
}
