/**
 * Attack: dodge a guardrail or an approval rule by sending a value of another type that the
 * upstream coerces back ("5e3", " 5000", [5000], "0x1388" for `amount gt 1000`). Guardrail and
 * approval predicates fail closed on a type mismatch; access-rule constraints stay strict (a
 * mismatch never grants). Real MCP calls through the gateway to an upstream that coerces.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { McpError } from "@modelcontextprotocol/sdk/types.js";
import { startHarness, type Harness } from "../integration/gateway/gateway-harness";
import { startPaymentsServer, type PaymentsServer } from "./support/coercing-payments-server";

const CONFUSED: unknown[] = ["5e3", " 5000", [5000], "0x1388", "5000 ", { toString: "5000" }, "Infinity"];

describe("type confusion in guardrail and approval predicates", () => {
  let payments: PaymentsServer;
  let h: Harness;
  let client: Client;
  beforeAll(async () => {
    payments = await startPaymentsServer();
    h = await startHarness(() => ({
      schemaVersion: 1,
      servers: [{ name: "payments", transport: { type: "http", url: payments.url } }],
      access: [
        {
          id: "engineers",
          mode: "standing",
          principals: { roles: ["Engineer"] },
          servers: ["payments"],
          tools: { allow: ["*"] },
          argumentConstraints: [{ tool: "pay", predicates: [{ path: "amount", op: "lte", value: 100 }] }],
        },
      ],
      guardrails: [
        {
          id: "big-refunds",
          on: "call",
          servers: ["payments"],
          tools: ["refund"],
          when: [{ path: "amount", op: "gt", value: 1000 }],
          message: "refunds over 1000 are blocked",
        },
      ],
      approvals: [
        {
          id: "big-transfers",
          servers: ["payments"],
          tools: ["transfer"],
          when: [{ path: "amount", op: "gt", value: 1000 }],
          approvers: { roles: ["Approver"] },
        },
      ],
    }));
    const transport = new StreamableHTTPClientTransport(new URL(`${h.gatewayUrl}/mcp/payments`), {
      requestInit: { headers: { Authorization: `Bearer ${await h.token("alice")}` } },
    });
    client = new Client({ name: "alice", version: "1.0.0" });
    await client.connect(transport);
  }, 90_000);
  afterAll(async () => {
    await client?.close();
    await h?.stop();
    await payments?.close();
  });

  const call = (name: string, amount: unknown) =>
    client.callTool({ name, arguments: { amount } }).then(
      () => "executed",
      (e: McpError) => (e.data as { code?: string } | undefined)?.code ?? `error ${e.code}`,
    );

  test.each(CONFUSED.map((v) => [JSON.stringify(v), v]))(
    "a refund of %s is blocked by the guardrail, never executed",
    async (_label, amount) => {
      expect(await call("refund", amount)).toBe("ERR_GUARDRAIL_BLOCKED");
      expect(payments.executed.filter((e) => e.tool === "refund" && e.amount > 1000)).toEqual([]);
    },
  );

  test.each(CONFUSED.map((v) => [JSON.stringify(v), v]))(
    "a transfer of %s needs an approval, never executes unapproved",
    async (_label, amount) => {
      expect(await call("transfer", amount)).toBe("ERR_APPROVAL_REQUIRED");
      expect(payments.executed.filter((e) => e.tool === "transfer")).toEqual([]);
    },
  );

  test("well-typed small amounts still pass; a plain decimal string is compared as a number", async () => {
    expect(await call("refund", 500)).toBe("executed");
    expect(await call("refund", "500")).toBe("executed");
    expect(await call("refund", "5000")).toBe("ERR_GUARDRAIL_BLOCKED");
    expect(await call("transfer", 20)).toBe("executed");
  });

  test("an access-rule constraint stays strict: a type-confused value does not grant", async () => {
    expect(await call("pay", 50)).toBe("executed");
    for (const amount of [" 50", "5e1", [50]]) expect(await call("pay", amount)).toBe("ERR_ARGUMENTS_DENIED");
  });
});
