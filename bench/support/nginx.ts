/**
 * nginx (Debian package) as the plain reverse-proxy baseline: a generated config, on 127.0.0.1,
 * not daemonised, pid and logs in a temporary folder, stopped after the run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, waitForPort } from "./free-port";

export interface RunningNginx {
  /** Base URL of the proxy, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  stop(): Promise<void>;
}

/** The nginx binary, or null when it is not installed. */
export function findNginx(): string | null {
  for (const candidate of ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx"]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  const which = spawnSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

export function nginxVersion(bin: string): string {
  const r = spawnSync(bin, ["-v"], { encoding: "utf8" });
  return (r.stderr || r.stdout).trim().replace(/^nginx version:\s*/, "");
}

/** One worker process; upstream keep-alive; no buffering (MCP answers may be SSE streams). */
export function nginxConfig(dir: string, listenPort: number, upstream: URL): string {
  const t = (name: string): string => path.join(dir, name);
  return `daemon off;
master_process on;
worker_processes 1;
pid ${t("nginx.pid")};
error_log ${t("error.log")} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${t("client_body")};
  proxy_temp_path ${t("proxy")};
  fastcgi_temp_path ${t("fastcgi")};
  uwsgi_temp_path ${t("uwsgi")};
  scgi_temp_path ${t("scgi")};
  upstream mcp_upstream { server ${upstream.host}; keepalive 128; }
  server {
    listen 127.0.0.1:${listenPort};
    location / {
      proxy_pass http://mcp_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host ${upstream.host};
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 300s;
    }
  }
}
`;
}

export async function startNginx(bin: string, upstream: URL): Promise<RunningNginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-bench-nginx-"));
  const port = await freePort();
  const conf = path.join(dir, "nginx.conf");
  fs.writeFileSync(conf, nginxConfig(dir, port, upstream));
  const child: ChildProcess = spawn(bin, ["-p", dir, "-c", conf, "-e", path.join(dir, "error.log")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    await Promise.race([
      waitForPort(port),
      exited.then(() => {
        throw new Error(`nginx exited at start: ${stderr.trim()}`);
      }),
    ]);
  } catch (e) {
    child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGQUIT"); // graceful shutdown of master and workers
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
