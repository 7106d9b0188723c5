import { compileBundle, McpServer, type McpServerProps } from "../../../policies/lib";
import { expectOneProblem, problemsOf, validSet } from "./policy-fixture";

function withServer(props: McpServerProps, id = "bad") {
  const { set } = validSet();
  new McpServer(set, id, props);
  return set;
}

describe("McpServer", () => {
  it("Compliance: http and stdio servers with key vault credentials compile with defaults", () => {
    const { set } = validSet();
    new McpServer(set, "tickets", {
      url: "https://tickets.example.com/mcp",
      credentials: [{ secretName: "tickets-api-token", header: "Authorization", headerPrefix: "Bearer " }],
    });
    new McpServer(set, "git", {
      command: "node",
      args: ["git-mcp.js"],
      env: { LOG_LEVEL: "info" },
      credentials: [{ secretName: "git-pat", envVar: "GIT_TOKEN" }],
    });
    const bundle = compileBundle(set, { commit: null });
    const tickets = bundle.servers.find((s) => s.name === "tickets");
    expect(tickets).toEqual({
      name: "tickets",
      description: "",
      transport: { type: "http", url: "https://tickets.example.com/mcp" },
      credentials: [
        { secretName: "tickets-api-token", inject: { type: "header", name: "Authorization", prefix: "Bearer " } },
      ],
      timeouts: { requestMs: 60000, idleMs: 900000 },
      agent: "default",
    });
    expect(bundle.servers.find((s) => s.name === "git")?.transport).toEqual({
      type: "stdio",
      command: "node",
      args: ["git-mcp.js"],
      env: { LOG_LEVEL: "info" },
    });
  });

  it.each([
    ["Noncompliance 1: invalid name", { url: "https://x.example.com" }, "Bad_Name", /server name/],
    ["Noncompliance 2: neither url nor command", {}, "bad", /exactly one of url/],
    [
      "Noncompliance 3: both url and command",
      { url: "https://x.example.com", command: "node" },
      "bad",
      /exactly one of url/,
    ],
    ["Noncompliance 4: not a url", { url: "not a url" }, "bad", /is not a url/],
    ["Noncompliance 5: unsupported scheme", { url: "ftp://x.example.com/" }, "bad", /scheme/],
    ["Noncompliance 6: plain http off loopback", { url: "http://crm.internal/mcp" }, "bad", /plain http/],
    [
      "Noncompliance 7: password in url",
      { url: "https://user:hunter2@x.example.com/mcp" },
      "bad",
      /url carries a credential/,
    ],
    ["Noncompliance 8: args with url", { url: "https://x.example.com", args: ["a"] }, "bad", /stdio servers only/],
    ["Noncompliance 9: empty command", { command: " " }, "bad", /command is empty/],
    [
      "Noncompliance 10: secret in env",
      { command: "node", env: { TOKEN: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" } },
      "bad",
      /env .* look like secret/,
    ],
    [
      "Noncompliance 11: secret in args",
      { command: "node", args: ["--key", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"] },
      "bad",
      /args at positions \[1\]/,
    ],
    [
      "Noncompliance 12: bad request timeout",
      { url: "https://x.example.com", requestTimeoutMs: 0 },
      "bad",
      /requestTimeoutMs/,
    ],
    [
      "Noncompliance 13: bad idle timeout",
      { url: "https://x.example.com", idleTimeoutMs: 1.5 },
      "bad",
      /idleTimeoutMs/,
    ],
    ["Noncompliance 14: bad agent name", { url: "https://x.example.com", agent: "Agent 1" }, "bad", /agent/],
    ["Noncompliance 15: a root that is not a uri", { command: "node", roots: ["/srv/reports"] }, "bad", /roots\[0\]/],
    [
      "Noncompliance 16: the whole file system as a root",
      { command: "node", roots: ["file:///"] },
      "bad",
      /whole file system/,
    ],
    ["Noncompliance 17: every method", { url: "https://x.example.com", methods: ["*"] }, "bad", /methods/],
  ] as [string, McpServerProps, string, RegExp][])("%s", (_name, props, id, word) => {
    expectOneProblem(withServer(props, id), `org/${id}`, word);
  });

  it("Compliance: declared roots and extra methods reach the bundle", () => {
    const { set } = validSet();
    new McpServer(set, "files2", { command: "node", roots: ["file:///srv/reports"], methods: ["tasks/*"] });
    const spec = compileBundle(set, { commit: null }).servers.find((s) => s.name === "files2");
    expect(spec?.roots).toEqual(["file:///srv/reports"]);
    expect(spec?.methods).toEqual(["tasks/*"]);
  });

  it("Compliance: read-only tools reach the bundle only when declared", () => {
    const { set } = validSet();
    new McpServer(set, "shop", { url: "https://shop.example.com/mcp", readOnlyTools: ["get_*", "list_customers"] });
    const servers = compileBundle(set, { commit: null }).servers;
    expect(servers.find((s) => s.name === "shop")?.readOnlyTools).toEqual(["get_*", "list_customers"]);
    expect(servers.filter((s) => s.name !== "shop").every((s) => s.readOnlyTools === undefined)).toBe(true);
  });

  it("Compliance: plain http on loopback, or with allowInsecureHttp", () => {
    const { set } = validSet();
    new McpServer(set, "local", { url: "http://127.0.0.1:8091/mcp" });
    new McpServer(set, "internal", { url: "http://crm.internal/mcp", allowInsecureHttp: true });
    expect(() => compileBundle(set, { commit: null })).not.toThrow();
  });

  describe("credentials", () => {
    const cred = (c: object) => withServer({ url: "https://x.example.com/mcp", credentials: [c as never] });
    it.each([
      [
        "a storage connection string",
        { secretName: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc", header: "x-key" },
      ],
      [
        "a jwt",
        { secretName: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl", header: "Authorization" },
      ],
      ["a base64 key", { secretName: "q8Xk2LmP9vR4tW7yZ1aB3cD5eF6gH0jK", header: "x-key" }],
      ["a hex key", { secretName: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", header: "x-key" }],
      ["a github token", { secretName: "ghp_1234567890abcdefghijABCDEFGHIJ123456", header: "Authorization" }],
    ])("Noncompliance: a literal secret (%s) as secretName is refused without echoing it", (_what, c) => {
      const problems = problemsOf(cred(c));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^org\/bad: credentials\[0\]\.secretName looks like a secret value/);
      expect(problems[0]).not.toContain(c.secretName);
    });

    it.each([
      ["not a key vault name", { secretName: "my_secret", header: "x-key" }, /not a key vault secret name/],
      ["neither header nor envVar", { secretName: "api-key" }, /exactly one of header and envVar/],
      [
        "both header and envVar",
        { secretName: "api-key", header: "x-key", envVar: "KEY" },
        /exactly one of header and envVar/,
      ],
      ["envVar on an http server", { secretName: "api-key", envVar: "KEY" }, /into an http server/],
      ["bad header name", { secretName: "api-key", header: "x key" }, /not an http header name/],
      [
        "secret header prefix",
        { secretName: "api-key", header: "Authorization", headerPrefix: "Bearer q8Xk2LmP9vR4tW7yZ1aB3cD5eF6gH0jK" },
        /headerPrefix looks like a secret/,
      ],
    ])("Noncompliance: %s", (_what, c, word) => {
      expectOneProblem(cred(c), "org/bad", word);
    });

    it("Noncompliance: header on a stdio server and a bad env var name", () => {
      const problems = problemsOf(
        withServer({
          command: "node",
          credentials: [
            { secretName: "a", header: "x-key" },
            { secretName: "b", envVar: "1BAD" },
          ],
        }),
      );
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/into a stdio server/);
      expect(problems[1]).toMatch(/not an environment variable name/);
    });

    it("Compliance: long key-vault-style names are not mistaken for secrets", () => {
      expect(() =>
        compileBundle(cred({ secretName: "customers-api-key-production-westeurope-2026", header: "x-key" }), {
          commit: null,
        }),
      ).not.toThrow();
    });
  });
});
