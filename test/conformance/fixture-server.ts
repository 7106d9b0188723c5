/**
 * Gatehouse's conformance fixture: an MCP server written with the SDK's low-level Server from the
 * specification in SERVER_REQUIREMENTS.md of modelcontextprotocol/conformance (names, contents
 * and behaviours as specified there). Streamable HTTP, one SDK transport per session, its own
 * Host/Origin check (DNS-rebinding protection), loopback only.
 */
import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";

// A 1×1 red PNG and a 44-byte silent WAV (header only), base64.
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const WAV = Buffer.concat([
  Buffer.from("RIFF"),
  u32(36),
  Buffer.from("WAVEfmt "),
  u32(16),
  u16(1),
  u16(1),
  u32(8000),
  u32(8000),
  u16(1),
  u16(8),
  Buffer.from("data"),
  u32(0),
]).toString("base64");
function u32(n: number) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
function u16(n: number) {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
}

const text = (t: string): CallToolResult => ({ content: [{ type: "text", text: t }] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const noArgs = { type: "object" as const, properties: {} };
type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const TOOLS = [
  { name: "test_simple_text", description: "Returns a simple text response", inputSchema: noArgs },
  { name: "test_image_content", description: "Returns an image", inputSchema: noArgs },
  { name: "test_audio_content", description: "Returns audio", inputSchema: noArgs },
  { name: "test_embedded_resource", description: "Returns an embedded resource", inputSchema: noArgs },
  { name: "test_multiple_content_types", description: "Returns text, image and resource", inputSchema: noArgs },
  { name: "test_tool_with_logging", description: "Sends three log messages while running", inputSchema: noArgs },
  { name: "test_tool_with_progress", description: "Reports progress 0, 50, 100 of 100", inputSchema: noArgs },
  { name: "test_error_handling", description: "Always fails", inputSchema: noArgs },
  {
    name: "test_sampling",
    description: "Asks the client's LLM",
    inputSchema: {
      type: "object" as const,
      properties: { prompt: { type: "string", description: "The prompt to send to the LLM" } },
      required: ["prompt"],
    },
  },
  {
    name: "test_elicitation",
    description: "Asks the user",
    inputSchema: {
      type: "object" as const,
      properties: { message: { type: "string", description: "The message to show the user" } },
      required: ["message"],
    },
  },
  {
    name: "test_elicitation_sep1034_defaults",
    description: "Elicitation with defaults for every primitive type",
    inputSchema: noArgs,
  },
  {
    name: "test_elicitation_sep1330_enums",
    description: "Elicitation with the five enum schema forms",
    inputSchema: noArgs,
  },
];

const RESOURCES = [
  {
    uri: "test://static-text",
    name: "Static Text Resource",
    description: "A static text resource for testing",
    mimeType: "text/plain",
  },
  {
    uri: "test://static-binary",
    name: "Static Binary Resource",
    description: "A static binary resource (image) for testing",
    mimeType: "image/png",
  },
  {
    uri: "test://watched-resource",
    name: "Watched Resource",
    description: "A resource that can be subscribed to",
    mimeType: "text/plain",
  },
];

const PROMPTS = [
  { name: "test_simple_prompt", description: "A simple prompt without arguments" },
  {
    name: "test_prompt_with_arguments",
    description: "A prompt with required arguments",
    arguments: [
      { name: "arg1", description: "First test argument", required: true },
      { name: "arg2", description: "Second test argument", required: true },
    ],
  },
  {
    name: "test_prompt_with_embedded_resource",
    description: "A prompt embedding a resource",
    arguments: [{ name: "resourceUri", description: "URI of the resource to embed", required: true }],
  },
  { name: "test_prompt_with_image", description: "A prompt with an image" },
];

async function log(extra: Extra, data: string): Promise<void> {
  await extra
    .sendNotification({
      method: "notifications/message",
      params: { level: "info", logger: "conformance-fixture", data },
    })
    .catch(() => undefined);
}

async function callTool(name: string, args: Record<string, unknown>, extra: Extra): Promise<CallToolResult> {
  switch (name) {
    case "test_simple_text":
      return text("This is a simple text response for testing.");
    case "test_image_content":
      return { content: [{ type: "image", data: PNG, mimeType: "image/png" }] };
    case "test_audio_content":
      return { content: [{ type: "audio", data: WAV, mimeType: "audio/wav" }] };
    case "test_embedded_resource":
      return {
        content: [
          {
            type: "resource",
            resource: {
              uri: "test://embedded-resource",
              mimeType: "text/plain",
              text: "This is an embedded resource content.",
            },
          },
        ],
      };
    case "test_multiple_content_types":
      return {
        content: [
          { type: "text", text: "Multiple content types test:" },
          { type: "image", data: PNG, mimeType: "image/png" },
          {
            type: "resource",
            resource: {
              uri: "test://mixed-content-resource",
              mimeType: "application/json",
              text: JSON.stringify({ test: "data", value: 123 }),
            },
          },
        ],
      };
    case "test_tool_with_logging":
      await log(extra, "Tool execution started");
      await sleep(50);
      await log(extra, "Tool processing data");
      await sleep(50);
      await log(extra, "Tool execution completed");
      return text("Tool with logging executed successfully");
    case "test_tool_with_progress": {
      const token = extra._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (token !== undefined)
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken: token, progress, total: 100 },
          });
        if (progress < 100) await sleep(50);
      }
      return text("Tool with progress executed successfully");
    }
    case "test_error_handling":
      return {
        isError: true,
        content: [{ type: "text", text: "This tool intentionally returns an error for testing" }],
      };
    case "test_sampling": {
      const r = await extra.sendRequest(
        {
          method: "sampling/createMessage",
          params: {
            messages: [{ role: "user", content: { type: "text", text: String(args.prompt ?? "") } }],
            maxTokens: 100,
          },
        },
        CreateMessageResultSchema,
      );
      const content = r.content as { type: string; text?: string };
      return text(`LLM response: ${content.type === "text" ? content.text : JSON.stringify(content)}`);
    }
    case "test_elicitation": {
      const r = await extra.sendRequest(
        {
          method: "elicitation/create",
          params: {
            message: String(args.message ?? ""),
            requestedSchema: {
              type: "object",
              properties: { response: { type: "string", description: "User's response" } },
              required: ["response"],
            },
          },
        },
        ElicitResultSchema,
      );
      return text(`User response: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
    }
    case "test_elicitation_sep1034_defaults": {
      const r = await extra.sendRequest(
        {
          method: "elicitation/create",
          params: {
            message: "Please review these defaults",
            requestedSchema: {
              type: "object",
              properties: {
                name: { type: "string", description: "Name", default: "John Doe" },
                age: { type: "integer", description: "Age", default: 30 },
                score: { type: "number", description: "Score", default: 95.5 },
                status: {
                  type: "string",
                  description: "Status",
                  enum: ["active", "inactive", "pending"],
                  default: "active",
                },
                verified: { type: "boolean", description: "Verified", default: true },
              },
            },
          },
        },
        ElicitResultSchema,
      );
      return text(`Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
    }
    case "test_elicitation_sep1330_enums": {
      const r = await extra.sendRequest(
        {
          method: "elicitation/create",
          params: {
            message: "Pick some options",
            requestedSchema: {
              type: "object",
              properties: {
                untitledSingle: { type: "string", enum: ["option1", "option2", "option3"] },
                titledSingle: {
                  type: "string",
                  oneOf: [
                    { const: "value1", title: "First Option" },
                    { const: "value2", title: "Second Option" },
                    { const: "value3", title: "Third Option" },
                  ],
                },
                legacyEnum: {
                  type: "string",
                  enum: ["opt1", "opt2", "opt3"],
                  enumNames: ["Option One", "Option Two", "Option Three"],
                },
                untitledMulti: { type: "array", items: { type: "string", enum: ["option1", "option2", "option3"] } },
                titledMulti: {
                  type: "array",
                  items: {
                    anyOf: [
                      { const: "value1", title: "First Choice" },
                      { const: "value2", title: "Second Choice" },
                      { const: "value3", title: "Third Choice" },
                    ],
                  },
                },
              },
            },
          },
        } as never,
        ElicitResultSchema,
      );
      return text(`Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
    }
    default:
      throw new Error(`Unknown tool: ${name}`);
  }
}

function readResource(uri: string) {
  if (uri === "test://static-text")
    return { contents: [{ uri, mimeType: "text/plain", text: "This is the content of the static text resource." }] };
  if (uri === "test://static-binary") return { contents: [{ uri, mimeType: "image/png", blob: PNG }] };
  if (uri === "test://watched-resource")
    return { contents: [{ uri, mimeType: "text/plain", text: "Watched resource content" }] };
  const m = /^test:\/\/template\/([^/]+)\/data$/.exec(uri);
  if (m)
    return {
      contents: [
        {
          uri,
          mimeType: "application/json",
          text: JSON.stringify({ id: m[1], templateTest: true, data: `Data for ID: ${m[1]}` }),
        },
      ],
    };
  throw new Error(`Resource not found: ${uri}`);
}

function getPrompt(name: string, args: Record<string, string>) {
  switch (name) {
    case "test_simple_prompt":
      return {
        messages: [
          { role: "user" as const, content: { type: "text" as const, text: "This is a simple prompt for testing." } },
        ],
      };
    case "test_prompt_with_arguments":
      return {
        messages: [
          {
            role: "user" as const,
            content: { type: "text" as const, text: `Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'` },
          },
        ],
      };
    case "test_prompt_with_embedded_resource":
      return {
        messages: [
          {
            role: "user" as const,
            content: {
              type: "resource" as const,
              resource: {
                uri: args.resourceUri,
                mimeType: "text/plain",
                text: "Embedded resource content for testing.",
              },
            },
          },
          {
            role: "user" as const,
            content: { type: "text" as const, text: "Please process the embedded resource above." },
          },
        ],
      };
    case "test_prompt_with_image":
      return {
        messages: [
          { role: "user" as const, content: { type: "image" as const, data: PNG, mimeType: "image/png" } },
          { role: "user" as const, content: { type: "text" as const, text: "Please analyze the image above." } },
        ],
      };
    default:
      throw new Error(`Unknown prompt: ${name}`);
  }
}

function buildServer(): Server {
  const server = new Server(
    { name: "gatehouse-conformance-fixture", version: "1.0.0" },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {},
      },
    },
  );
  const subscriptions = new Set<string>();
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) =>
    callTool(req.params.name, (req.params.arguments ?? {}) as Record<string, unknown>, extra),
  );
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: RESOURCES }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [
      {
        uriTemplate: "test://template/{id}/data",
        name: "Resource Template",
        description: "A resource template with parameter substitution",
        mimeType: "application/json",
      },
    ],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => readResource(req.params.uri));
  server.setRequestHandler(SubscribeRequestSchema, async (req) => {
    subscriptions.add(req.params.uri);
    return {};
  });
  server.setRequestHandler(UnsubscribeRequestSchema, async (req) => {
    subscriptions.delete(req.params.uri);
    return {};
  });
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: PROMPTS }));
  server.setRequestHandler(GetPromptRequestSchema, async (req) =>
    getPrompt(req.params.name, (req.params.arguments ?? {}) as Record<string, string>),
  );
  server.setRequestHandler(CompleteRequestSchema, async (req) => {
    const candidates = ["paris", "park", "party", "test", "testing"];
    const values = candidates.filter((c) => c.startsWith(req.params.argument.value));
    return { completion: { values, total: values.length, hasMore: false } };
  });
  // The watched resource changes every 3 s; subscribers are told.
  const timer = setInterval(() => {
    if (subscriptions.has("test://watched-resource"))
      void server.sendResourceUpdated({ uri: "test://watched-resource" }).catch(() => undefined);
  }, 3000);
  timer.unref();
  server.onclose = () => clearInterval(timer);
  return server;
}

export interface FixtureServer {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let port = 0;
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const reply = (status: number, message: string, code = -32000) => {
      res
        .writeHead(status, { "content-type": "application/json" })
        .end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code, message } }));
    };
    // DNS-rebinding protection: only loopback names of our own port.
    const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    if (!allowed.includes(String(req.headers.host))) return reply(403, "Forbidden: invalid Host header");
    if (req.headers.origin !== undefined && !allowed.some((h) => req.headers.origin === `http://${h}`))
      return reply(403, "Forbidden: invalid Origin header");
    if (!req.url?.startsWith("/mcp")) return reply(404, "Not found");
    const sid = req.headers["mcp-session-id"];
    let transport = typeof sid === "string" ? sessions.get(sid) : undefined;
    if (!transport) {
      if (typeof sid === "string") return reply(404, "Session not found", -32001);
      if (req.method !== "POST") return reply(400, "Bad Request: Mcp-Session-Id header is required");
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, transport!),
        onsessionclosed: (id) => void sessions.delete(id),
      });
      const t = transport;
      t.onclose = () => {
        if (t.sessionId) sessions.delete(t.sessionId);
      };
      await buildServer().connect(t);
    }
    await transport.handleRequest(req, res);
  };
  // A handler that throws answers 500 (the conformance run then reports the failing scenario).
  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(e instanceof Error ? e.message : String(e));
    });
  });
  await new Promise<void>((r) => httpServer.listen(0, "127.0.0.1", () => r()));
  port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    stop: async () => {
      await Promise.all([...sessions.values()].map((t) => t.close().catch(() => undefined)));
      httpServer.closeAllConnections();
      await new Promise((r) => httpServer.close(r));
    },
  };
}
