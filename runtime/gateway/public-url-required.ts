/**
 * A gateway listening on a wildcard address (0.0.0.0, ::) is behind something else — Container
 * Apps ingress, a load balancer — so its default public URL, http://0.0.0.0:8080, is an address
 * no client uses: every MCP request would fail the Host check and every OAuth resource URL would
 * be wrong. Refuse to start instead of running unusable (issue 13, item 18). loadGatewayConfig
 * reports this with every other bad variable at once; this function checks a parsed env alone.
 */
import { GatehouseError } from "../core/errors";
import { isWildcardHost } from "../core/config/parse-env";

export { isWildcardHost };

export function requirePublicUrlOnWildcard(env: { GATEHOUSE_HOST: string; GATEHOUSE_PUBLIC_URL?: string }): void {
  if (!isWildcardHost(env.GATEHOUSE_HOST) || env.GATEHOUSE_PUBLIC_URL) return;
  throw new GatehouseError(
    "ERR_CONFIG_INVALID",
    `invalid configuration:\n  GATEHOUSE_PUBLIC_URL: required when GATEHOUSE_HOST is ${env.GATEHOUSE_HOST} (a wildcard address): set the URL clients use, e.g. https://gateway.example.com`,
    { problems: ["GATEHOUSE_PUBLIC_URL"] },
  );
}
