import type { CredentialProps, McpServerProps } from "./mcp-server";
import { looksLikeSecret } from "./looks-like-secret";
import { failures, isValidName, NAME_EXPECTED, shown, type ValidationCheck } from "./validation";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function credentialChecks(c: CredentialProps, i: number, transport: "http" | "stdio"): ValidationCheck[] {
  const secret = looksLikeSecret(c.secretName);
  const where = `credentials[${i}]`;
  return [
    {
      condition: secret !== null,
      message: `${where}.secretName looks like a secret value (${c.secretName.length} characters, ${secret}), expected the name of a key vault secret: store the value in key vault, rotate it (it is now in git history) and put the secret's name here`,
    },
    {
      condition: secret === null && !/^[0-9a-zA-Z-]{1,127}$/.test(c.secretName),
      message: `${where}.secretName ${shown(c.secretName)} is not a key vault secret name, expected 1-127 letters, digits and '-'`,
    },
    {
      condition: (c.header === undefined) === (c.envVar === undefined),
      message: `${where} needs exactly one of header and envVar, received ${c.header === undefined ? "neither" : "both"}`,
    },
    {
      condition: c.header !== undefined && c.envVar === undefined && transport !== "http",
      message: `${where} injects header ${shown(c.header)} into a stdio server, expected envVar for stdio servers`,
    },
    {
      condition: c.envVar !== undefined && c.header === undefined && transport !== "stdio",
      message: `${where} injects envVar ${shown(c.envVar)} into an http server, expected header for http servers`,
    },
    {
      condition: c.header !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(c.header),
      message: `${where}.header ${shown(c.header)} is not an http header name`,
    },
    {
      condition: c.envVar !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c.envVar),
      message: `${where}.envVar ${shown(c.envVar)} is not an environment variable name, expected letters, digits and '_'`,
    },
    {
      condition: looksLikeSecret(c.headerPrefix ?? "") !== null,
      message: `${where}.headerPrefix looks like a secret value, expected a fixed prefix such as "Bearer ": the value itself comes from key vault`,
    },
  ];
}

/** Validation of McpServer props; every failure, prefixed with the construct path. */
export function validateMcpServerProps(path: string, name: string, p: McpServerProps): string[] {
  const url = p.url !== undefined ? parseUrl(p.url) : null;
  const transport = p.url !== undefined ? "http" : "stdio";
  const envSecrets = Object.entries(p.env ?? {})
    .filter(([, v]) => looksLikeSecret(v) !== null)
    .map(([k]) => k);
  const argSecrets = (p.args ?? []).map((a, i) => (looksLikeSecret(a) !== null ? i : -1)).filter((i) => i >= 0);
  const urlSecret = p.url !== undefined ? looksLikeSecret(p.url) : null;
  const positiveInt = (v: number | undefined) => v !== undefined && !(Number.isInteger(v) && v > 0);
  const checks: ValidationCheck[] = [
    {
      condition: !isValidName(name),
      message: `server name ${shown(name)} is not valid, expected ${NAME_EXPECTED} (set props.name or rename the construct)`,
    },
    {
      condition: (p.url === undefined) === (p.command === undefined),
      message: `expected exactly one of url (streamable http) and command (stdio), received ${p.url === undefined ? "neither" : "both"}`,
    },
    {
      condition: p.url !== undefined && url === null,
      message: `url ${shown(p.url)} is not a url, expected e.g. "https://mcp.example.com/mcp"`,
    },
    {
      condition: url !== null && url.protocol !== "https:" && url.protocol !== "http:",
      message: `url scheme ${shown(url?.protocol)} is not supported, expected https`,
    },
    {
      condition:
        url !== null && url.protocol === "http:" && !LOOPBACK.has(url.hostname) && p.allowInsecureHttp !== true,
      message: `url uses plain http to ${shown(url?.hostname)}, expected https (or set allowInsecureHttp: true to accept unencrypted traffic)`,
    },
    {
      condition: urlSecret !== null,
      message: `url carries a credential (${urlSecret}), expected a url without secrets: put the credential in key vault and inject it with credentials`,
    },
    {
      condition: p.url !== undefined && (p.args !== undefined || p.cwd !== undefined || p.env !== undefined),
      message: "args, cwd and env apply to stdio servers only, received them with url: remove them or use command",
    },
    {
      condition: p.command !== undefined && p.command.trim() === "",
      message: 'command is empty, expected an executable such as "node"',
    },
    {
      condition: envSecrets.length > 0,
      message: `env ${shown(envSecrets)} look like secret values, expected non-secret settings only: inject secrets with credentials (envVar) from key vault`,
    },
    {
      condition: argSecrets.length > 0,
      message: `args at positions ${shown(argSecrets)} look like secret values, expected no secrets on the command line: inject them with credentials (envVar)`,
    },
    {
      condition: positiveInt(p.requestTimeoutMs),
      message: `requestTimeoutMs must be a positive integer, received ${shown(p.requestTimeoutMs)}`,
    },
    {
      condition: positiveInt(p.idleTimeoutMs),
      message: `idleTimeoutMs must be a positive integer, received ${shown(p.idleTimeoutMs)}`,
    },
    {
      condition: p.agent !== undefined && !isValidName(p.agent),
      message: `agent ${shown(p.agent)} is not valid, expected ${NAME_EXPECTED}`,
    },
    ...(p.credentials ?? []).flatMap((c, i) => credentialChecks(c, i, transport)),
    ...(p.roots ?? []).map((r, i) => {
      const u = parseUrl(r);
      return {
        condition: u === null || u.search !== "" || u.hash !== "",
        message: `roots[${i}] ${shown(r)} is not a root uri, expected a uri without query or fragment such as "file:///srv/reports"`,
      };
    }),
    {
      condition: (p.roots ?? []).some((r) => parseUrl(r)?.pathname === "/"),
      message: `roots ${shown(p.roots)} include a whole file system ("/"), expected the directories the server may use`,
    },
    {
      condition: (p.methods ?? []).some((m) => m.trim() === "" || m === "*"),
      message: `methods ${shown(p.methods)} include "*" or an empty glob, expected the extra methods by name or prefix, e.g. "tasks/*"`,
    },
  ];
  return failures(path, checks);
}
