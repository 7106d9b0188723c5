/**
 * `gatehouse token <user> [--issuer <url>]` — development only: prints a bearer token for a demo
 * user (alice, bob, carol) from the local issuer of `npm run dev`.
 *
 * It refuses any issuer that is not the local one: the URL (given, or recorded by the running
 * stack in .gatehouse/local-stack.json) must be loopback http and its discovery document must
 * name that URL as the issuer. Production tokens come from Entra ID, never from here.
 */
import type { Command } from "commander";
import { CliError } from "../cli-error";
import { DEMO, fetchToken } from "../local-issuer-token";
import { checkLocalIssuer } from "../local-issuer-guard";
import { gatehouseHome, localStackFile, readLocalStack } from "../../core/local-stack-file";

interface TokenOptions {
  issuer?: string;
  json?: boolean;
}

export async function runToken(user: string, opts: TokenOptions): Promise<void> {
  const users = Object.keys(DEMO.users);
  if (!users.includes(user)) {
    throw new CliError(`unknown demo user "${user}": choose one of ${users.join(", ")}`, 2);
  }
  let issuer = opts.issuer;
  if (!issuer) {
    const stack = readLocalStack();
    if (!stack) {
      throw new CliError(
        `no local stack is recorded in ${localStackFile(gatehouseHome())}: start it with npm run dev, or pass --issuer <url>`,
        3,
      );
    }
    issuer = stack.issuerUrl;
  }
  const check = await checkLocalIssuer(issuer);
  if (!check.ok)
    throw new CliError(`refusing to mint a token: ${check.message}`, check.reason === "unreachable" ? 3 : 2);
  let token: string;
  try {
    token = await fetchToken(check.issuer, user);
  } catch (e) {
    throw new CliError(`${e instanceof Error ? e.message : String(e)}; is npm run dev still running?`, 3);
  }
  const u = DEMO.users[user as keyof typeof DEMO.users];
  if (opts.json) {
    process.stdout.write(
      JSON.stringify({ user, username: u.username, roles: u.roles, issuer: check.issuer, accessToken: token }) + "\n",
    );
  } else {
    process.stdout.write(token + "\n");
  }
}

export function register(program: Command): void {
  program
    .command("token")
    .description(
      "development only: print a bearer token for a demo user (alice, bob, carol) from the local issuer of npm run dev",
    )
    .argument("<user>", "demo user: alice (Engineer), bob (Approver) or carol (Auditor)")
    .option(
      "--issuer <url>",
      "the local issuer URL (default: the one recorded by npm run dev in .gatehouse/local-stack.json); must be loopback http",
    )
    .option("--json", "print {user, username, roles, issuer, accessToken} as JSON")
    .addHelpText("after", "\nExample:\n  export TOKEN=$(npx gatehouse token alice)\n")
    .action(async (user: string, opts: TokenOptions) => runToken(user, opts));
}
