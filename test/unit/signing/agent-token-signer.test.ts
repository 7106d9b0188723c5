/**
 * The no-Key-Vault-call-per-message invariant (ARCHITECTURE.md, issue 13): per-call agent tokens
 * are signed by an in-memory key that the Key Vault key certifies once per period. Every token
 * here is checked by the agent's real verifier.
 */
import { randomUUID } from "node:crypto";
import { decodeProtectedHeader } from "jose";
import { GatewayTokenVerifier } from "../../../runtime/agent/gateway-token-verifier";
import { AgentTokenSigner } from "../../../runtime/core/signing/agent-token-signer";
import {
  AGENT_AUDIENCE,
  GATEWAY_ISSUER,
  KEY_CERTIFICATE_SECONDS,
  bodyHash,
  type AgentTokenRequest,
} from "../../../runtime/core/mcp/agent-token";
import { METRIC_NAMES, metricTotals } from "../../../runtime/core/telemetry/metrics";
import { countingKeyVault } from "./counting-key-vault";

const body = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping"}');
const claims = (): AgentTokenRequest => ({
  iss: GATEWAY_ISSUER,
  aud: AGENT_AUDIENCE,
  sub: "a11ce000",
  jti: randomUUID(),
  server: "up",
  htm: "POST",
  rpc: "ping",
  bh: bodyHash(body),
  corr: "c-1",
});
const expectAccepted = (verifier: GatewayTokenVerifier, token: string) =>
  verifier.verify(`Bearer ${token}`, { server: "up", httpMethod: "POST", body });

describe("AgentTokenSigner", () => {
  test("steady state: 500 calls cost one Key Vault operation (the certificate), each token verifies at the agent", async () => {
    const vault = await countingKeyVault();
    const tokens = new AgentTokenSigner(vault.signer);
    const verifier = new GatewayTokenVerifier(vault.publicJwk);
    await expectAccepted(verifier, await tokens.sign(claims()));
    const afterFirst = vault.operations();
    expect(afterFirst).toBe(1);
    for (let i = 0; i < 500; i++) await expectAccepted(verifier, await tokens.sign(claims()));
    expect(vault.operations() - afterFirst).toBe(0);
  });

  test("prepare() certifies at start (one operation), so the first call costs none; a Signer that cannot sign fails it", async () => {
    const vault = await countingKeyVault();
    const tokens = new AgentTokenSigner(vault.signer);
    await tokens.prepare();
    expect(vault.operations()).toBe(1);
    await tokens.sign(claims());
    expect(vault.operations()).toBe(1);
    const broken = await countingKeyVault();
    broken.failing = true;
    await expect(new AgentTokenSigner(broken.signer).prepare()).rejects.toMatchObject({ code: "ERR_INTERNAL" });
  });

  test("concurrent first calls share one certification", async () => {
    const vault = await countingKeyVault();
    const tokens = new AgentTokenSigner(vault.signer);
    await Promise.all(Array.from({ length: 50 }, () => tokens.sign(claims())));
    expect(vault.operations()).toBe(1);
  });

  test("the certificate is renewed ahead of expiry without holding a call: one more operation per period", async () => {
    const vault = await countingKeyVault();
    let now = Date.now();
    const tokens = new AgentTokenSigner(vault.signer, { now: () => now });
    const verifier = new GatewayTokenVerifier(vault.publicJwk);
    const first = await tokens.sign(claims());
    now += KEY_CERTIFICATE_SECONDS * 0.8 * 1000; // a fifth of the certificate's life left
    const during = await tokens.sign(claims()); // signed with the current key while renewal runs
    await new Promise((r) => setImmediate(r));
    const after = await tokens.sign(claims());
    expect(vault.operations()).toBe(2);
    for (let i = 0; i < 20; i++) await tokens.sign(claims());
    expect(vault.operations()).toBe(2);
    const kid = (t: string) => decodeProtectedHeader(t).kid;
    expect(kid(during)).toBe(kid(first));
    expect(kid(after)).not.toBe(kid(first));
    await expectAccepted(verifier, first); // the later ones carry a future iat: the agent checks them at real time
  });

  test("Key Vault failing: signing continues while the certificate lasts, the failure is counted, then calls are refused (ERR_INTERNAL)", async () => {
    const vault = await countingKeyVault();
    let now = Date.now();
    const tokens = new AgentTokenSigner(vault.signer, { now: () => now });
    await tokens.sign(claims());
    vault.failing = true;
    const failuresBefore = metricTotals()[METRIC_NAMES.signingFailures];
    now += KEY_CERTIFICATE_SECONDS * 0.8 * 1000;
    await expect(tokens.sign(claims())).resolves.toEqual(expect.any(String));
    await new Promise((r) => setImmediate(r));
    expect(metricTotals()[METRIC_NAMES.signingFailures]).toBeGreaterThan(failuresBefore);
    now += KEY_CERTIFICATE_SECONDS * 0.2 * 1000 - 30_000; // 30 s left: less than a token's life
    await expect(tokens.sign(claims())).rejects.toMatchObject({ code: "ERR_INTERNAL" });
    vault.failing = false;
    await expect(tokens.sign(claims())).resolves.toEqual(expect.any(String));
  });
});
