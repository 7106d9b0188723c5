import { GatehouseError } from "../../../runtime/core/errors";
import { errorStatus } from "../../../runtime/core/error-status";
import { parseClientMessage, targetName } from "../../../runtime/core/mcp/jsonrpc";
import { checkMirroredHeaders, isStateless } from "../../../runtime/core/mcp/protocol";
import { SseParser, formatSseEvent } from "../../../runtime/core/mcp/sse-parser";
import { SessionSealer } from "../../../runtime/core/mcp/session-envelope";
import {
  openRelayedRequestId,
  sealGatewayRequestId,
  sealRelayedRequestId,
} from "../../../runtime/core/mcp/relayed-request-id";
import { loadGatewayConfig } from "../../../runtime/core/config/gateway-config";
import { loadAgentConfig } from "../../../runtime/core/config/agent-config";

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as GatehouseError).code;
  }
  return null;
};

describe("JSON-RPC parsing", () => {
  test("one message is classified; batches and non-JSON-RPC are refused", () => {
    expect(parseClientMessage(Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/list"}')).kind).toBe("request");
    expect(parseClientMessage(Buffer.from('{"jsonrpc":"2.0","method":"notifications/initialized"}')).kind).toBe(
      "notification",
    );
    expect(parseClientMessage(Buffer.from('{"jsonrpc":"2.0","id":"s1","result":{}}')).kind).toBe("result");
    expect(codeOf(() => parseClientMessage(Buffer.from('[{"jsonrpc":"2.0","id":1,"method":"ping"}]')))).toBe(
      "ERR_BATCH_REFUSED",
    );
    expect(codeOf(() => parseClientMessage(Buffer.from('{"id":1,"method":"ping"}')))).toBe("ERR_BAD_REQUEST");
    expect(codeOf(() => parseClientMessage(Buffer.from("{")))).toBe("ERR_BAD_REQUEST");
  });
  test("the decided name: tool, prompt or resource URI", () => {
    expect(targetName("tools/call", { name: "echo" })).toBe("echo");
    expect(targetName("resources/read", { uri: "test://x" })).toBe("test://x");
    expect(targetName("tools/list", {})).toBeNull();
  });
});

describe("2026-07-28 mirrored headers", () => {
  test("must be present and equal to the body", () => {
    expect(isStateless("2026-07-28")).toBe(true);
    expect(isStateless("2025-11-25")).toBe(false);
    const params = { name: "echo" };
    expect(
      codeOf(() => checkMirroredHeaders({ "mcp-method": "tools/call", "mcp-name": "echo" }, "tools/call", params)),
    ).toBeNull();
    expect(codeOf(() => checkMirroredHeaders({}, "tools/call", params))).toBe("ERR_HEADER_MISMATCH");
    expect(codeOf(() => checkMirroredHeaders({ "mcp-method": "tools/list" }, "tools/call", params))).toBe(
      "ERR_HEADER_MISMATCH",
    );
    expect(
      codeOf(() => checkMirroredHeaders({ "mcp-method": "tools/call", "mcp-name": "rm" }, "tools/call", params)),
    ).toBe("ERR_HEADER_MISMATCH");
    expect(codeOf(() => checkMirroredHeaders({ "mcp-method": "tools/list" }, "tools/list", undefined))).toBeNull();
    expect(errorStatus("ERR_HEADER_MISMATCH")).toEqual({ http: 400, rpc: -32020, rest: 400 });
  });
});

describe("SSE parser", () => {
  test("keeps id, event and retry across arbitrary chunking and drops comments", () => {
    const stream = ': keep-alive\n\nid: 7\nretry: 500\n\nevent: message\nid: 8\ndata: {"a":1}\r\ndata: {"b":2}\n\n';
    const p = new SseParser();
    const events = [];
    for (const ch of Buffer.from(stream)) events.push(...p.push(Uint8Array.of(ch)));
    events.push(...p.end());
    expect(events).toEqual([
      { id: "7", retry: "500", data: "", hasData: false },
      { event: "message", id: "8", data: '{"a":1}\n{"b":2}', hasData: true },
    ]);
    expect(formatSseEvent(events[1])).toBe('event: message\nid: 8\ndata: {"a":1}\ndata: {"b":2}\n\n');
  });

  test("CR, LF and CRLF line ends give the same events however the stream is cut (seeded)", () => {
    let seed = 20261129;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const ends = ["\n", "\r", "\r\n"];
    for (let round = 0; round < 200; round++) {
      // Events of 1-3 data lines (some long, some empty), every line ended by a random line end.
      const expected: { data: string; hasData: boolean; id: string }[] = [];
      let stream = "";
      for (let e = 0; e < 1 + rand(4); e++) {
        const lines = Array.from({ length: 1 + rand(3) }, () => "x".repeat(rand(3) === 0 ? 0 : rand(5000)));
        const id = String(round * 10 + e);
        stream += `id: ${id}${ends[rand(3)]}`;
        for (const l of lines) stream += `data: ${l}${ends[rand(3)]}`;
        stream += ends[rand(3)];
        expected.push({ id, data: lines.join("\n"), hasData: true });
      }
      const bytes = Buffer.from(stream);
      const p = new SseParser();
      const events = [];
      for (let at = 0; at < bytes.length;) {
        const n = 1 + rand(rand(2) === 0 ? 3 : 4096);
        events.push(...p.push(bytes.subarray(at, at + n)));
        at += n;
      }
      events.push(...p.end());
      expect(events).toEqual(expected);
    }
  });
});

describe("session envelope", () => {
  const sealer = SessionSealer.fromSecret(Buffer.alloc(32, 7));
  const env = { u: "upstream-1", oid: "alice", s: "files", a: "default", g: null };
  test("any replica with the key opens it; the identity and server are bound", () => {
    const token = sealer.seal(env);
    expect(token).toMatch(/^g1\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain("upstream-1");
    expect(SessionSealer.fromSecret(Buffer.alloc(32, 7)).open(token, { oid: "alice", server: "files" }).u).toBe(
      "upstream-1",
    );
    expect(codeOf(() => sealer.open(token, { oid: "bob", server: "files" }))).toBe("ERR_SESSION_INVALID");
    expect(codeOf(() => sealer.open(token, { oid: "alice", server: "customers" }))).toBe("ERR_SESSION_INVALID");
    expect(
      codeOf(() => SessionSealer.fromSecret(Buffer.alloc(32, 8)).open(token, { oid: "alice", server: "files" })),
    ).toBe("ERR_SESSION_INVALID");
    const raw = Buffer.from(token.slice(3), "base64url");
    raw[raw.length - 1] ^= 1;
    expect(codeOf(() => sealer.open(`g1.${raw.toString("base64url")}`, { oid: "alice", server: "files" }))).toBe(
      "ERR_SESSION_INVALID",
    );
  });

  test("the client's elicitation capability travels in the envelope; older envelopes have none", () => {
    const to = { oid: "alice", server: "files" };
    expect(sealer.open(sealer.seal({ ...env, e: true }), to).e).toBe(true);
    expect(sealer.open(sealer.seal(env), to).e).toBeUndefined();
  });
});

describe("relayed request ids", () => {
  const sealer = SessionSealer.fromSecret(Buffer.alloc(32, 7));
  const to = { oid: "alice", server: "files", upstreamSessionId: "u-1" };
  test("an upstream's request and the gateway's own question open with their origin, and only as it", () => {
    const upstream = sealRelayedRequestId(sealer, "srv-1", "elicitation/create", to);
    const gateway = sealGatewayRequestId(sealer, "q-1", "elicitation/create", to);
    expect(openRelayedRequestId(sealer, upstream, to)).toMatchObject({ id: "srv-1", origin: "upstream" });
    expect(openRelayedRequestId(sealer, gateway, to)).toMatchObject({ id: "q-1", origin: "gateway" });
    // Relabelled: the prefix is the authenticated data, so neither opens as the other.
    expect(openRelayedRequestId(sealer, `gr1.${gateway.slice(4)}`, to)).toBeNull();
    expect(openRelayedRequestId(sealer, `ge1.${upstream.slice(4)}`, to)).toBeNull();
    expect(openRelayedRequestId(sealer, gateway, { ...to, upstreamSessionId: "u-2" })).toBeNull();
    expect(openRelayedRequestId(sealer, gateway, { ...to, oid: "bob" })).toBeNull();
  });
});

describe("configuration", () => {
  const base = {
    GATEHOUSE_IDENTITY_METADATA: "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
    GATEHOUSE_AUDIENCE: "api://gatehouse",
    GATEHOUSE_AGENT_URL: "http://127.0.0.1:8081",
    GATEHOUSE_POLICY_FILE: "/x/bundle.json",
    GATEHOUSE_STORAGE_CONNECTION_STRING: "UseDevelopmentStorage=true",
    GATEHOUSE_SIGNING_KEY_FILE: "/x/key.json",
  };
  test("defaults: loopback, port 8080, Host and Origin of the public URL", () => {
    const c = loadGatewayConfig(base);
    expect([c.host, c.port, c.publicUrl]).toEqual(["127.0.0.1", 8080, "http://127.0.0.1:8080"]);
    expect(c.allowedHosts).toEqual(["127.0.0.1:8080"]);
    expect(c.allowedOrigins).toEqual(["http://127.0.0.1:8080"]);
  });
  test("every problem names its variable", () => {
    try {
      loadGatewayConfig({
        ...base,
        GATEHOUSE_PORT: "99999",
        GATEHOUSE_IDENTITY_METADATA: "http://issuer.example.com/.well-known/openid-configuration",
        GATEHOUSE_SIGNING_KEY_FILE: "",
      });
      throw new Error("accepted");
    } catch (e) {
      expect((e as GatehouseError).code).toBe("ERR_CONFIG_INVALID");
      const problems = (e as GatehouseError).details.problems as string[];
      expect(problems.some((p) => p.startsWith("GATEHOUSE_PORT:"))).toBe(true);
      expect(problems.some((p) => p.startsWith("GATEHOUSE_IDENTITY_METADATA:"))).toBe(true);
      expect(problems.some((p) => p.startsWith("GATEHOUSE_SIGNING_KEY_FILE:"))).toBe(true);
    }
    expect(codeOf(() => loadAgentConfig({ GATEHOUSE_POLICY_FILE: "/x" }))).toBe("ERR_CONFIG_INVALID");
  });
  test("a wildcard host without GATEHOUSE_PUBLIC_URL is reported with the other problems, not after them (issue 14, item 6)", () => {
    let problems: string[] = [];
    try {
      loadGatewayConfig({ ...base, GATEHOUSE_HOST: "0.0.0.0", GATEHOUSE_MAX_BODY_BYTES: "-1" });
    } catch (e) {
      expect((e as GatehouseError).code).toBe("ERR_CONFIG_INVALID");
      problems = (e as GatehouseError).details.problems as string[];
    }
    expect(problems.some((p) => p.startsWith("GATEHOUSE_PUBLIC_URL:"))).toBe(true);
    expect(problems.some((p) => p.startsWith("GATEHOUSE_MAX_BODY_BYTES:"))).toBe(true);
    expect(
      loadGatewayConfig({ ...base, GATEHOUSE_HOST: "0.0.0.0", GATEHOUSE_PUBLIC_URL: "https://gw.example.com" })
        .publicUrl,
    ).toBe("https://gw.example.com");
  });
});
