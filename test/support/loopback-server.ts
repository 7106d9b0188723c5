import type http from "node:http";
import type { AddressInfo } from "node:net";

/** Anything with node's listen(port, host): an http.Server or an express app. */
interface Listenable {
  listen(port: number, host: string): http.Server;
}

/** Listens on a free 127.0.0.1 port and returns the server and its base URL. */
export async function listenOnLoopback(
  target: Listenable | http.Server,
): Promise<{ server: http.Server; url: string }> {
  const server = (target as http.Server).listen(0, "127.0.0.1") as http.Server;
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes servers and their kept-alive connections (tests must stop what they start). */
export async function closeServers(...servers: http.Server[]): Promise<void> {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
}
