import {
  applyDecision,
  assertMayDecide,
  holdsApproverPrincipal,
  isPastExpiry,
  isUsable,
} from "../../../runtime/core/approvals/approval-rules";
import { heldRecord, t0 } from "./held-record";
import type { Identity } from "../../../runtime/core/identity";

const record = heldRecord;
const who = (oid: string, over: Partial<Identity> = {}): Identity => ({
  oid,
  tenantId: "t",
  username: `${oid}@x`,
  roles: [],
  groups: [],
  groupsOverage: false,
  via: "entra",
  jit: null,
  ...over,
});
const code = (f: () => void): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe("approval rules", () => {
  test("self-approval is refused even for an approver", () => {
    expect(code(() => assertMayDecide(record(), who("alice", { roles: ["Approver"] }), t0))).toBe("ERR_SELF_APPROVAL");
  });
  test("role or group required; group overage never counts as membership; JIT identities never approve", () => {
    expect(code(() => assertMayDecide(record(), who("bob"), t0))).toBe("ERR_NOT_APPROVER");
    expect(code(() => assertMayDecide(record(), who("bob", { roles: ["Approver"] }), t0))).toBeNull();
    expect(code(() => assertMayDecide(record(), who("bob", { groups: ["g-approvers"] }), t0))).toBeNull();
    expect(holdsApproverPrincipal(record(), who("bob", { groups: ["g-approvers"], groupsOverage: true }))).toBe(false);
    expect(holdsApproverPrincipal(record(), who("bob", { roles: ["Approver"], via: "jit" }))).toBe(false);
  });
  test("expired, decided and already-approved-by-you are refused", () => {
    const bob = who("bob", { roles: ["Approver"] });
    expect(code(() => assertMayDecide(record(), bob, new Date(t0.getTime() + 600_000)))).toBe("ERR_APPROVAL_EXPIRED");
    expect(code(() => assertMayDecide(record({ status: "rejected" }), bob, t0))).toBe("ERR_APPROVAL_CONFLICT");
    const once = applyDecision(record({ count: 2 }), {
      action: "approve",
      who: bob,
      reason: null,
      now: t0,
      usableForSeconds: 60,
    });
    expect(once.status).toBe("pending");
    expect(code(() => assertMayDecide(once, bob, t0))).toBe("ERR_APPROVAL_CONFLICT");
  });
  test("the Nth distinct approval approves and opens a usable window; reject records who and why", () => {
    const carol = who("carol", { roles: ["Approver"] });
    const bob = who("bob", { roles: ["Approver"] });
    const one = applyDecision(record({ count: 2 }), {
      action: "approve",
      who: bob,
      reason: "a",
      now: t0,
      usableForSeconds: 60,
    });
    const two = applyDecision(one, { action: "approve", who: carol, reason: "b", now: t0, usableForSeconds: 60 });
    expect(two.status).toBe("approved");
    expect(isUsable(two, new Date(t0.getTime() + 59_000))).toBe(true);
    expect(isUsable(two, new Date(t0.getTime() + 60_000))).toBe(false);
    expect(isUsable({ ...two, consumedAt: t0.toISOString() }, t0)).toBe(false);
    const rejected = applyDecision(record(), {
      action: "reject",
      who: bob,
      reason: "no",
      now: t0,
      usableForSeconds: 60,
    });
    expect(rejected).toMatchObject({ status: "rejected", rejectedBy: { oid: "bob", reason: "no" } });
  });
  test("only pending records expire", () => {
    const later = new Date(t0.getTime() + 601_000);
    expect(isPastExpiry(record(), later)).toBe(true);
    expect(isPastExpiry(record({ status: "approved" }), later)).toBe(false);
  });
});
