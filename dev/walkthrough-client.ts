/**
 * The walkthrough's MCP client (README): connects through the local gateway as a demo user with
 * the MCP SDK, exactly as any MCP client would.
 *
 *   node dist/dev/walkthrough-client.js tools [--as alice]
 *   node dist/dev/walkthrough-client.js call <server> <tool> [json-arguments] [--as alice]
 *
 * Reads the running stack from .gatehouse/local-stack.json ($GATEHOUSE_HOME). Exit codes:
 * 0 success; 1 the gateway refused or the tool failed; 2 usage; 3 no local stack.
 */
import { Command, CommanderError } from "commander";
import { McpError, type Notification } from "@modelcontextprotocol/sdk/types.js";
import { readLocalStack, localStackFile, gatehouseHome, type LocalStack } from "../runtime/core/local-stack-file";
import { callToolWaiting, connectThroughGateway, demoToken, resultText } from "./walkthrough/gateway-client";

class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function stackOrExit(): LocalStack {
  const stack = readLocalStack();
  if (!stack)
    throw new ExitError(`no local stack recorded in ${localStackFile(gatehouseHome())}: start it with npm run dev`, 3);
  return stack;
}

const say = (line: string): void => void process.stdout.write(line + "\n");

function showNotification(n: Notification): void {
  const p = (n.params ?? {}) as { data?: unknown; message?: unknown; level?: string };
  const data = p.data ?? p.message;
  const d = (data ?? {}) as { message?: unknown; approvalId?: unknown; url?: unknown };
  if (typeof d.message === "string" && typeof d.url === "string") {
    // The gateway holding a call for approval: say where the approver decides.
    say(`  ~ ${d.message} (approval ${String(d.approvalId)}): an approver decides at ${d.url}`);
    return;
  }
  say(`  ~ ${n.method}${p.level ? ` [${p.level}]` : ""}: ${typeof data === "string" ? data : JSON.stringify(data)}`);
}

async function listTools(user: string): Promise<void> {
  const stack = stackOrExit();
  const token = await demoToken(stack, user);
  for (const server of Object.keys(stack.mcpUrls).sort()) {
    try {
      const c = await connectThroughGateway({ gatewayUrl: stack.gatewayUrl, server, token });
      const { tools } = await c.client.listTools();
      say(`${server}: ${tools.length} tool(s) visible to ${user}`);
      for (const t of tools) say(`  - ${t.name}`);
      await c.close();
    } catch (e) {
      say(`${server}: refused for ${user}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

async function call(server: string, tool: string, json: string | undefined, user: string): Promise<void> {
  let args: Record<string, unknown>;
  try {
    args = json ? (JSON.parse(json) as Record<string, unknown>) : {};
  } catch {
    throw new ExitError(`arguments must be JSON, e.g. '{"id":"c-1001"}'`, 2);
  }
  const stack = stackOrExit();
  const token = await demoToken(stack, user);
  const c = await connectThroughGateway({
    gatewayUrl: stack.gatewayUrl,
    server,
    token,
    onNotification: showNotification,
  });
  try {
    say(`${user} → ${server}.${tool} ${JSON.stringify(args)}`);
    const result = await callToolWaiting(c, tool, args, 15, (m) => say(`  ~ ${m}`));
    say(resultText(result));
    if (result.isError) throw new ExitError(`${tool} reported an error`, 1);
  } catch (e) {
    if (e instanceof McpError)
      throw new ExitError(`refused by the gateway: ${e.message}${e.data ? ` ${JSON.stringify(e.data)}` : ""}`, 1);
    throw e;
  } finally {
    await c.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("walkthrough-client")
    .description("the walkthrough's MCP client: talks to the local gateway as a demo user")
    .exitOverride();
  program
    .command("tools")
    .description("list the tools each server shows this user (filtered by policy)")
    .option("--as <user>", "demo user", "alice")
    .action((o: { as: string }) => listTools(o.as));
  program
    .command("call")
    .description("call one tool through the gateway")
    .argument("<server>", "customers or files")
    .argument("<tool>", "tool name, e.g. list_customers")
    .argument("[json]", "arguments as JSON")
    .option("--as <user>", "demo user", "alice")
    .action((server: string, tool: string, json: string | undefined, o: { as: string }) =>
      call(server, tool, json, o.as),
    );
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`walkthrough-client: ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof ExitError ? e.code : 1;
  }
}

if (require.main === module) void main(process.argv).then((code) => process.exit(code));
