/**
 * Attack: send malformed JSON to /api/* to get a 500 whose log line quotes the body (the body
 * parser's message does: a way to push arbitrary, unmasked text into the logs). Now: 400 in the
 * API's JSON error shape with a stable code, and no log line carries body text.
 */
import { captureLogs } from "./support/capture-logs";
import { startApprovalsStack, type ApprovalsStack } from "../integration/approvals/support/approvals-stack";

const MARKER = "card-4111111111111111-marker";
let stack: ApprovalsStack;
beforeAll(async () => {
  stack = await startApprovalsStack();
}, 60_000);
afterAll(() => stack?.stop());

async function post(path: string, body: string, user = "bob") {
  const res = await fetch(stack.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${await stack.token(user)}`, "content-type": "application/json" },
    body,
  });
  return { status: res.status, json: (await res.json()) as { error?: { code?: string; message?: string } } };
}

test("malformed JSON is 400 ERR_BAD_REQUEST in the API's shape, and its text reaches no log line", async () => {
  const { lines: logged } = await captureLogs(async () => {
    const approve = await post("/api/approvals/00000000-0000-4000-8000-000000000000/approve", `{"reason": "${MARKER}`);
    const session = await post("/api/sessions", `{not json ${MARKER}`, "alice");
    for (const r of [approve, session]) {
      expect(r.status).toBe(400);
      expect(r.json.error?.code).toBe("ERR_BAD_REQUEST");
      expect(JSON.stringify(r.json)).not.toContain(MARKER);
    }
    const big = await post(
      "/api/sessions",
      JSON.stringify({ server: "customers", reason: MARKER.repeat(1000) }),
      "alice",
    );
    expect([big.status, big.json.error?.code]).toEqual([413, "ERR_BODY_TOO_LARGE"]);
  }, "debug");
  expect(logged.filter((l) => l.includes(MARKER) || l.includes("not json"))).toEqual([]);
});
