/**
 * The demo users of the local issuer (`npm run dev`) and how to ask it for one's token: what
 * `gatehouse token` needs, kept here so the CLI never imports dev/ (issue 14, module boundaries).
 * dev/local-issuer.mjs serves the same users from demo-users.json.
 */
import demo from "./demo-users.json";

export const DEMO = demo;
export type DemoUser = keyof typeof demo.users;

/** Asks a local issuer for a demo user's access token (client-credentials grant with a `username`). */
export async function fetchToken(issuerUrl: string, user: string, extra: Record<string, string> = {}): Promise<string> {
  const body = new URLSearchParams({ grant_type: "client_credentials", username: user, ...extra });
  const res = await fetch(new URL("/token", issuerUrl), { method: "POST", body });
  if (!res.ok) throw new Error(`the local issuer refused a token for ${user}: HTTP ${res.status}`);
  const json = (await res.json()) as { access_token?: string };
  if (!json.access_token) throw new Error("the local issuer returned no access_token");
  return json.access_token;
}
