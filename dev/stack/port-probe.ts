import net from "node:net";

/** Can something listen on 127.0.0.1:port right now? (Port 0 always can.) */
export function portIsFree(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/**
 * Checks every fixed port before anything starts, so a clash is reported once, with the variable
 * that moves it, instead of as a half-started stack.
 */
export async function busyPorts(ports: Record<string, { port: number; variable: string }>): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, { port, variable }] of Object.entries(ports)) {
    if (!(await portIsFree(port))) problems.push(`port ${port} (${name}) is in use by another program: stop it, or set ${variable} to another port`);
  }
  return problems;
}
