import { RestError } from "@azure/data-tables";
import { ZodError } from "zod";
import { GatehouseError } from "../../../runtime/core/errors";
import { storeCall } from "../../../runtime/core/approvals/store-deadline";

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof GatehouseError ? e.code : (e as Error).constructor.name),
  );
const fail = (e: unknown) => () => Promise.reject(e);

describe("storeCall: which failures are a store outage", () => {
  test("no answer, a deadline, a refused connection, a 5xx or 408 become ERR_STORE_UNAVAILABLE with a retry hint", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const aborted = Object.assign(new Error("The operation was aborted."), { name: "AbortError" });
    for (const e of [
      refused,
      aborted,
      new RestError("x", { statusCode: 503 }),
      new RestError("x", { statusCode: 408 }),
      new RestError("x", { code: "REQUEST_SEND_ERROR" }),
    ]) {
      expect(await codeOf(storeCall("grants", fail(e)))).toBe("ERR_STORE_UNAVAILABLE");
    }
    const err = await storeCall("grants", fail(refused)).catch((e: GatehouseError) => e);
    expect(err.details.retryAfterSeconds).toBeGreaterThan(0);
  });

  test("the store's own answers and our errors pass through unchanged", async () => {
    expect(await codeOf(storeCall("grants", fail(new RestError("x", { statusCode: 404 }))))).toBe("RestError");
    expect(await codeOf(storeCall("grants", fail(new RestError("x", { statusCode: 412 }))))).toBe("RestError");
    expect(await codeOf(storeCall("grants", fail(new ZodError([]))))).toBe("ZodError");
    expect(await codeOf(storeCall("grants", fail(new GatehouseError("ERR_APPROVAL_CONFLICT", "x"))))).toBe(
      "ERR_APPROVAL_CONFLICT",
    );
    expect(await storeCall("grants", async () => 42)).toBe(42);
  });
});
