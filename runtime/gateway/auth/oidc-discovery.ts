/**
 * Fetches the OpenID discovery document: the issuer and the JWKS URI. https is required except on
 * a loopback host (the local issuer); nothing else is relaxed.
 */
import { z } from "zod";
import { GatehouseError } from "../../core/errors";
import { isLoopbackHost } from "../../core/config/parse-env";

const DiscoverySchema = z.object({ issuer: z.string().min(1), jwks_uri: z.string().url() });
export type Discovery = z.infer<typeof DiscoverySchema>;

export function assertSecureUrl(url: string, what: string): URL {
  const u = new URL(url);
  if (u.protocol === "https:" || (u.protocol === "http:" && isLoopbackHost(u.hostname))) return u;
  throw new GatehouseError(
    "ERR_CONFIG_INVALID",
    `${what} must be https (plain http only on a loopback host): ${u.origin}`,
  );
}

export async function fetchDiscovery(identityMetadata: string, timeoutMs = 10_000): Promise<Discovery> {
  assertSecureUrl(identityMetadata, "identityMetadata");
  let res: Response;
  try {
    res = await fetch(identityMetadata, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: "application/json" },
    });
  } catch (e) {
    throw new GatehouseError(
      "ERR_UPSTREAM_UNAVAILABLE",
      `the OpenID discovery document could not be fetched: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
  if (!res.ok)
    throw new GatehouseError("ERR_UPSTREAM_BAD_RESPONSE", `the OpenID discovery document answered HTTP ${res.status}`);
  let body: unknown;
  try {
    body = JSON.parse(await res.text());
  } catch (e) {
    throw new GatehouseError(
      "ERR_UPSTREAM_BAD_RESPONSE",
      "the OpenID discovery document is not JSON",
      {},
      { cause: e },
    );
  }
  const parsed = DiscoverySchema.safeParse(body);
  if (!parsed.success)
    throw new GatehouseError("ERR_UPSTREAM_BAD_RESPONSE", "the OpenID discovery document has no issuer or jwks_uri");
  assertSecureUrl(parsed.data.jwks_uri, "jwks_uri");
  return parsed.data;
}
