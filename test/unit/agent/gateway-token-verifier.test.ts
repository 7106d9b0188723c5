/**
 * What the agent accepts as a gateway token: explicitly typed tokens whose key is certified by a
 * trusted gateway key; and, across a Key Vault key rotation, tokens from replicas on either
 * version (issue 13, item 10), with Key Vault read only when an unknown key id shows up.
 */
import { randomUUID } from "node:crypto";
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { GatewayTokenVerifier } from "../../../runtime/agent/gateway-token-verifier";
import {
  KeyVaultGatewayKeys,
  StaticGatewayKeys,
  type KeyVersionReader,
} from "../../../runtime/agent/trusted-gateway-keys";
import {
  AGENT_AUDIENCE,
  GATEWAY_ISSUER,
  KEY_CERTIFICATE_TYP,
  bodyHash,
  type AgentTokenRequest,
} from "../../../runtime/core/mcp/agent-token";
import { AgentTokenSigner } from "../../../runtime/core/signing/agent-token-signer";
import { LocalSigner } from "../../../runtime/core/signing/local-signer";
import { countingKeyVault } from "../signing/counting-key-vault";

const body = Buffer.from('{"jsonrpc":"2.0","id":7,"method":"tools/list"}');
const claims = (): AgentTokenRequest => ({
  iss: GATEWAY_ISSUER,
  aud: AGENT_AUDIENCE,
  sub: "a11ce000",
  jti: randomUUID(),
  server: "up",
  htm: "POST",
  rpc: "tools/list",
  bh: bodyHash(body),
  corr: "c-7",
});
const verify = (v: GatewayTokenVerifier, token: string) =>
  v.verify(`Bearer ${token}`, { server: "up", httpMethod: "POST", body });

describe("GatewayTokenVerifier: typed, certified tokens", () => {
  test("a request-shaped token signed directly by the gateway key (typ JWT, no certificate) is refused", async () => {
    const signer = await LocalSigner.create();
    const verifier = new GatewayTokenVerifier(await signer.publicJwk());
    await expect(verify(verifier, await signer.signJwt(claims(), { expiresInSeconds: 60 }))).rejects.toMatchObject({
      code: "ERR_AUTH_INVALID",
    });
    await expect(
      verify(verifier, await signer.signJwt(claims(), { expiresInSeconds: 60, typ: "gatehouse-agent+jwt" })),
    ).rejects.toMatchObject({ code: "ERR_AUTH_INVALID" });
  });

  test("a key certificate presented as a token is refused, and a certificate from an untrusted key is refused", async () => {
    const signer = await LocalSigner.create();
    const verifier = new GatewayTokenVerifier(await signer.publicJwk());
    const token = await AgentTokenSigner.for(signer).sign(claims());
    const [h] = token.split(".");
    const cert = (JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, string>).gh_cert;
    await expect(verify(verifier, cert)).rejects.toMatchObject({ code: "ERR_AUTH_INVALID" });
    const stranger = await LocalSigner.create();
    await expect(verify(verifier, await AgentTokenSigner.for(stranger).sign(claims()))).rejects.toMatchObject({
      code: "ERR_AUTH_INVALID",
    });
  });

  test("a token signed by another key than the certified one is refused", async () => {
    const signer = await LocalSigner.create();
    const verifier = new GatewayTokenVerifier(await signer.publicJwk());
    const genuine = await AgentTokenSigner.for(signer).sign(claims());
    const header = JSON.parse(Buffer.from(genuine.split(".")[0], "base64url").toString()) as Record<string, string>;
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT(claims())
      .setProtectedHeader(header as never)
      .setIssuedAt()
      .setExpirationTime("60s")
      .sign(privateKey);
    await expect(verify(verifier, forged)).rejects.toMatchObject({ code: "ERR_AUTH_INVALID" });
  });

  test("a certificate must be typed gatehouse-key-cert+jwt: a JIT-style JWT carrying a key is not one", async () => {
    const signer = await LocalSigner.create();
    const verifier = new GatewayTokenVerifier(await signer.publicJwk());
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const untyped = await signer.signJwt(
      { iss: GATEWAY_ISSUER, aud: AGENT_AUDIENCE, cnf: { jwk: { ...jwk, kid } } },
      { expiresInSeconds: 600 },
    );
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: "ES256", typ: "gatehouse-agent+jwt", kid, gh_cert: untyped })
      .setIssuedAt()
      .setExpirationTime("60s")
      .sign(privateKey);
    await expect(verify(verifier, token)).rejects.toMatchObject({ code: "ERR_AUTH_INVALID" });
    const typed = await signer.signJwt(
      { iss: GATEWAY_ISSUER, aud: AGENT_AUDIENCE, cnf: { jwk: { ...jwk, kid } } },
      { expiresInSeconds: 600, typ: KEY_CERTIFICATE_TYP },
    );
    const ok = await new SignJWT(claims())
      .setProtectedHeader({ alg: "ES256", typ: "gatehouse-agent+jwt", kid, gh_cert: typed })
      .setIssuedAt()
      .setExpirationTime("60s")
      .sign(privateKey);
    await expect(verify(verifier, ok)).resolves.toMatchObject({ server: "up" });
  });
});

describe("Key rotation: the agent trusts every enabled version", () => {
  test("a JWKS with current and previous keys accepts replicas on either", async () => {
    const previous = await LocalSigner.create();
    const current = await LocalSigner.create();
    const verifier = new GatewayTokenVerifier(
      new StaticGatewayKeys([await current.publicJwk(), await previous.publicJwk()]),
    );
    await expect(verify(verifier, await AgentTokenSigner.for(previous).sign(claims()))).resolves.toMatchObject({
      sub: "a11ce000",
    });
    await expect(verify(verifier, await AgentTokenSigner.for(current).sign(claims()))).resolves.toMatchObject({
      sub: "a11ce000",
    });
  });

  test("rotate, then a new replica at once: its key version is read from Key Vault once, no call refused; the old replica keeps working; unknown ids share one read", async () => {
    const v1 = await countingKeyVault();
    const v2 = await countingKeyVault();
    let versions: JWK[] = [v1.publicJwk];
    let reads = 0;
    const reader: KeyVersionReader = {
      async enabledVersions() {
        reads += 1;
        // Key Vault returns public material without our kid: the thumbprint is computed.
        return versions.map(({ kid: _kid, ...k }) => k);
      },
    };
    const keys = await new KeyVaultGatewayKeys(reader, 0.3).load();
    const verifier = new GatewayTokenVerifier(keys);
    const oldReplica = new AgentTokenSigner(v1.signer);
    await verify(verifier, await oldReplica.sign(claims()));
    expect(reads).toBe(1);

    versions = [v1.publicJwk, v2.publicJwk]; // `az keyvault key rotate`: a new version, the old one stays enabled
    const newReplica = new AgentTokenSigner(v2.signer);
    for (let i = 0; i < 20; i++) await verify(verifier, await newReplica.sign(claims()));
    await verify(verifier, await oldReplica.sign(claims()));
    expect(reads).toBe(2);

    const stranger = new AgentTokenSigner((await countingKeyVault()).signer);
    // Signed first, then verified together: signing ten tokens on a loaded machine can outlast the
    // test's 0.3 s refresh interval, and the verifications must overlap for the read to be shared.
    const tokens = await Promise.all(Array.from({ length: 10 }, () => stranger.sign(claims())));
    const forged = await Promise.all(tokens.map((t) => verify(verifier, t).catch((e: { code: string }) => e.code)));
    expect(forged).toEqual(Array(10).fill("ERR_AUTH_INVALID"));
    expect(reads).toBe(3); // ten unknown-kid tokens: one shared read
  });
});
