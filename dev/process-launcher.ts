/**
 * Starts a child process and waits until one of its output lines says it is ready. Used by the
 * local stack (`npm run dev`) and by the tests, so both start real components the same way.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface LaunchOptions {
  /** What to show in errors. */
  readonly name: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** A line of stdout or stderr matching this means ready; its match is returned. */
  readonly ready: RegExp;
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** Echo the child's output with a name prefix (the dev stack does; tests do not). @default false */
  readonly echo?: boolean;
  /**
   * Run the child in its own process group, so a terminal's Ctrl-C reaches only the parent, which
   * then stops its children in order (the dev stack: gateway first, Azurite last). @default false
   */
  readonly detached?: boolean;
}

export interface LaunchedProcess {
  readonly child: ChildProcess;
  readonly match: RegExpMatchArray;
  /** The last lines the child printed, for diagnostics. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function launch(opts: LaunchOptions): Promise<LaunchedProcess> {
  const child = spawn(opts.command, [...(opts.args ?? [])], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: opts.detached ?? false,
  });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (graceMs = 5000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () => fail(new Error(`${opts.name} did not become ready within ${opts.timeoutMs ?? 30000} ms`)),
      opts.timeoutMs ?? 30000,
    );
    function fail(err: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop(500);
      err.message += `\n--- last output of ${opts.name} ---\n${lines.slice(-30).join("\n")}`;
      reject(err);
    }
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString("utf8").split(/\r?\n/)) {
        if (!line) continue;
        lines.push(line);
        if (lines.length > 200) lines.shift();
        if (opts.echo) process.stdout.write(`[${opts.name}] ${line}\n`);
        if (settled) continue;
        const m = line.match(opts.ready);
        if (m) {
          settled = true;
          clearTimeout(timer);
          resolve({ child, match: m, output: () => lines.join("\n"), stop });
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (e) => fail(new Error(`${opts.name} could not start: ${e.message}`)));
    child.once("exit", (code, signal) =>
      fail(new Error(`${opts.name} exited before it was ready (code ${code}, signal ${signal})`)),
    );
  });
}
