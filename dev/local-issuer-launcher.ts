/** Starts the local OpenID Connect issuer (dev/local-issuer.mjs) and mints demo-user tokens from it. */
import path from "node:path";
import { launch, type LaunchedProcess } from "./process-launcher";
import { repoRoot } from "../runtime/core/repo-root";
import { fetchToken } from "../runtime/cli/local-issuer-token";

// The demo users and the token request live with the CLI (`gatehouse token`), which must not import dev/.
export { DEMO, fetchToken, type DemoUser } from "../runtime/cli/local-issuer-token";

export interface LocalIssuer {
  /** The issuer URL (also the OIDC discovery base). */
  readonly url: string;
  readonly process: LaunchedProcess;
  /** A bearer token for a demo user; `extra` carries the issuer's test-only knobs. */
  token(user: string, extra?: Record<string, string>): Promise<string>;
  stop(): Promise<void>;
}

export interface LocalIssuerOptions {
  /** @default 0 (OS-assigned) */
  readonly port?: number;
  /** Keep the signing key here so tokens survive a restart (the dev stack). */
  readonly keyFile?: string;
  readonly echo?: boolean;
  /** Own process group (see LaunchOptions.detached). @default false */
  readonly detached?: boolean;
}

export async function startLocalIssuer(opts: LocalIssuerOptions = {}): Promise<LocalIssuer> {
  const script = path.join(repoRoot(), "dev", "local-issuer.mjs");
  const args = [script, "--port", String(opts.port ?? 0)];
  if (opts.keyFile) args.push("--key-file", opts.keyFile);
  const proc = await launch({
    name: "issuer",
    command: process.execPath,
    args,
    ready: /local issuer listening at (\S+)/,
    echo: opts.echo,
    detached: opts.detached,
  });
  const url = proc.match[1];
  return { url, process: proc, token: (user, extra) => fetchToken(url, user, extra), stop: () => proc.stop() };
}
