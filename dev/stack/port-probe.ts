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
    if (!(await portIsFree(port)))
      problems.push(`port ${port} (${name}) is in use by another program: stop it, or set ${variable} to another port`);
  }
  return problems;
}

/** A port that was free on 127.0.0.1 a moment ago, for a server that must know its URL before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
