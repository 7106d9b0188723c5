import { Construct } from "constructs";
import type { McpServerSpec } from "../../runtime/core/policy-model/schema";
import { validateMcpServerProps } from "./validate-mcp-server-props";

/** A credential the agent fetches from Key Vault and injects; never the value itself. */
export interface CredentialProps {
  /** Name of the Key Vault secret holding the value (letters, digits, '-'). */
  readonly secretName: string;
  /**
   * HTTP header the value goes into (Streamable HTTP servers), e.g. "Authorization".
   * @default - not a header; exactly one of header and envVar is required
   */
  readonly header?: string;
  /**
   * Text put before the value in the header, e.g. "Bearer ".
   * @default ""
   */
  readonly headerPrefix?: string;
  /**
   * Environment variable the value goes into (stdio servers).
   * @default - not an environment variable
   */
  readonly envVar?: string;
}

export interface McpServerProps {
  /**
   * The server's name: the URL segment in `/mcp/<name>`.
   * @default - the construct id
   */
  readonly name?: string;
  /** @default "" */
  readonly description?: string;
  /**
   * Streamable HTTP endpoint. https, except on loopback.
   * @default - none; exactly one of url and command is required
   */
  readonly url?: string;
  /**
   * Allow a plain-http url to a non-loopback host (traffic and credentials unencrypted).
   * @default false
   */
  readonly allowInsecureHttp?: boolean;
  /**
   * Executable for a stdio server, spawned by the agent.
   * @default - none; exactly one of url and command is required
   */
  readonly command?: string;
  /** @default [] */
  readonly args?: string[];
  /**
   * Working directory of the stdio process.
   * @default - the agent's working directory
   */
  readonly cwd?: string;
  /**
   * Non-secret environment of the stdio process. Secrets go through `credentials`.
   * @default {}
   */
  readonly env?: Record<string, string>;
  /** @default - no credentials */
  readonly credentials?: CredentialProps[];
  /**
   * Upper bound of one upstream request, in milliseconds.
   * @default 60000
   */
  readonly requestTimeoutMs?: number;
  /**
   * An idle stdio process or upstream session is ended after this many milliseconds.
   * @default 900000 (15 minutes)
   */
  readonly idleTimeoutMs?: number;
  /**
   * The agent that serves this server.
   * @default "default"
   */
  readonly agent?: string;
  /**
   * Root URIs (e.g. `file:///srv/reports`) a client may expose to this server through MCP roots;
   * a client's roots/list answer is confined to them.
   * @default - none: the client's roots capability is removed at initialize
   */
  readonly roots?: string[];
  /**
   * JSON-RPC methods (globs) beyond the MCP methods Gatehouse knows, e.g. `tasks/*`, that the
   * gateway may forward to this server.
   * @default - none: unknown methods are denied
   */
  readonly methods?: string[];
  /**
   * Tools (globs) with no side effect upstream: a call to one commits its request and response
   * records together, in one durable append, before the response is released (one storage round
   * trip instead of two; a crash while it runs leaves no record of a call whose result nobody
   * received; docs/decisions/0008). Declare only tools that change nothing.
   * @default - none: every call's request record is durable before it is forwarded
   */
  readonly readOnlyTools?: string[];
}

/** An MCP server reached through the gateway at `/mcp/<name>`. */
export class McpServer extends Construct {
  readonly props: McpServerProps;
  readonly serverName: string;

  constructor(scope: Construct, id: string, props: McpServerProps) {
    super(scope, id);
    this.props = props;
    this.serverName = props.name ?? id;
    this.node.addValidation({ validate: () => validateMcpServerProps(this.node.path, this.serverName, props) });
  }

  /** The server's bundle entry. */
  toSpec(): McpServerSpec {
    const p = this.props;
    return {
      name: this.serverName,
      description: p.description ?? "",
      transport:
        p.url !== undefined
          ? { type: "http", url: p.url }
          : {
              type: "stdio",
              command: p.command ?? "",
              args: [...(p.args ?? [])],
              ...(p.cwd !== undefined ? { cwd: p.cwd } : {}),
              env: { ...(p.env ?? {}) },
            },
      credentials: (p.credentials ?? []).map((c) => ({
        secretName: c.secretName,
        inject:
          c.header !== undefined
            ? { type: "header" as const, name: c.header, prefix: c.headerPrefix ?? "" }
            : { type: "env" as const, name: c.envVar ?? "" },
      })),
      timeouts: { requestMs: p.requestTimeoutMs ?? 60_000, idleMs: p.idleTimeoutMs ?? 15 * 60_000 },
      agent: p.agent ?? "default",
      ...(p.roots !== undefined ? { roots: [...p.roots] } : {}),
      ...(p.methods !== undefined ? { methods: [...p.methods] } : {}),
      ...(p.readOnlyTools !== undefined ? { readOnlyTools: [...p.readOnlyTools] } : {}),
    };
  }
}
