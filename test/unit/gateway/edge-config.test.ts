import type { GatehouseError } from "../../../runtime/core/errors";
import { loadGatewayConfig } from "../../../runtime/core/config/gateway-config";
import { loadAgentConfig } from "../../../runtime/core/config/agent-config";
import { isProxyAddress } from "../../../runtime/core/config/trusted-proxies";

const base = {
  GATEHOUSE_IDENTITY_METADATA: "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
  GATEHOUSE_AUDIENCE: "api://gatehouse",
  GATEHOUSE_AGENT_URL: "http://127.0.0.1:8081",
  GATEHOUSE_POLICY_FILE: "/x/bundle.json",
  GATEHOUSE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true",
  GATEHOUSE_SIGNING_KEY_FILE: "/x/key.json",
};

describe("edge configuration", () => {
  test("secure defaults: no trusted proxy, bounded header/body/store times, a per-address limit", () => {
    const c = loadGatewayConfig(base);
    expect(c).toMatchObject({
      trustedProxies: [],
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 30_000,
      addressRateLimitPerMinute: 120,
      refusalAuditWindowMs: 60_000,
    });
    expect(c.env.GATEHOUSE_STORE_TIMEOUT_MS).toBe(5000);
  });

  test("GATEHOUSE_TRUSTED_PROXIES takes IPs, CIDRs and proxy-addr names, and names itself when wrong", () => {
    expect(
      loadGatewayConfig({ ...base, GATEHOUSE_TRUSTED_PROXIES: "10.40.0.0/23, 127.0.0.1, fd00::/8, loopback" })
        .trustedProxies,
    ).toEqual(["10.40.0.0/23", "127.0.0.1", "fd00::/8", "loopback"]);
    for (const bad of ["true", "1", "10.0.0.0/33", "example.com", "10.0.0.1/8/2"]) {
      expect(isProxyAddress(bad)).toBe(false);
      try {
        loadGatewayConfig({ ...base, GATEHOUSE_TRUSTED_PROXIES: bad });
        throw new Error(`accepted ${bad}`);
      } catch (e) {
        expect((e as GatehouseError).code).toBe("ERR_CONFIG_INVALID");
        expect(
          ((e as GatehouseError).details.problems as string[]).some((p) => p.startsWith("GATEHOUSE_TRUSTED_PROXIES:")),
        ).toBe(true);
      }
    }
  });

  test("agent: stdio session caps and idle bound have sane defaults", () => {
    const a = loadAgentConfig({
      GATEHOUSE_POLICY_FILE: "/x",
      GATEHOUSE_GATEWAY_PUBLIC_JWK: "{}",
      GATEHOUSE_CREDENTIAL_PROVIDER: "dev-env",
    });
    expect([
      a.GATEHOUSE_STDIO_SESSIONS_PER_IDENTITY,
      a.GATEHOUSE_STDIO_SESSIONS_MAX,
      a.GATEHOUSE_STDIO_IDLE_SECONDS,
    ]).toEqual([4, 32, 300]);
  });
});
