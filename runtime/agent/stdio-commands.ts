/**
 * stdio servers run as processes inside the agent's container, so every command the bundle names
 * for this agent must exist in the image. Checked when a bundle is put in force: a missing command
 * fails the agent's start (and refuses a reloaded bundle) with the server and command named,
 * instead of a spawn error on the first call. Adding a command: docs/gateway.md, "stdio servers".
 */
import fs from "node:fs";
import path from "node:path";
import { GatehouseError } from "../core/errors";
import type { PolicyBundle } from "../core/policy-model/schema";

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The file a command resolves to the way spawn resolves it (a path: as is; a name: on PATH), or null. */
export function resolveCommand(
  command: string,
  cwd: string = process.cwd(),
  pathVar: string = process.env.PATH ?? "",
): string | null {
  if (command.includes("/") || command.includes(path.sep)) {
    const file = path.resolve(cwd, command);
    return isExecutable(file) ? file : null;
  }
  for (const dir of pathVar.split(path.delimiter).filter(Boolean)) {
    const file = path.join(dir, command);
    if (isExecutable(file)) return file;
  }
  return null;
}

/** `server (command)` for each stdio server of this agent whose command is not in the image. */
export function missingStdioCommands(bundle: PolicyBundle, agentName: string): string[] {
  const missing: string[] = [];
  for (const s of bundle.servers) {
    if (s.agent !== agentName || s.transport.type !== "stdio") continue;
    if (!resolveCommand(s.transport.command, s.transport.cwd ?? process.cwd()))
      missing.push(`${s.name} (${s.transport.command})`);
  }
  return missing;
}

/** A LivePolicy bundle check: throws ERR_CONFIG_INVALID naming every missing command. */
export function stdioCommandsCheck(agentName: string): (bundle: PolicyBundle) => () => void {
  return (bundle) => {
    const missing = missingStdioCommands(bundle, agentName);
    if (missing.length > 0) {
      throw new GatehouseError(
        "ERR_CONFIG_INVALID",
        `stdio servers of the policy bundle name commands that are not in this agent's image: ${missing.join(", ")} (extend the image: docs/gateway.md, "stdio servers")`,
        { problems: missing },
      );
    }
    return () => undefined;
  };
}
