import type { ArgumentPredicate } from "../../../runtime/core/policy-model/schema";
import {
  allPredicatesHold,
  predicateHolds,
  re2Problem,
  valueAtPath,
} from "../../../runtime/core/policy-model/argument-predicates";

const args = {
  id: "c-1",
  ids: ["a", "b"],
  amount: 150,
  amountText: "42.5",
  flag: false,
  nothing: null,
  nested: { list: [{ name: "x" }] },
  path: "/demo/readme.md",
};

describe("valueAtPath", () => {
  it("follows dot paths into objects and arrays", () => {
    expect(valueAtPath(args, "nested.list.0.name")).toBe("x");
    expect(valueAtPath(args, "ids.1")).toBe("b");
    expect(valueAtPath(args, "ids.x")).toBeUndefined();
    expect(valueAtPath(args, "missing.deeper")).toBeUndefined();
  });

  it("never walks into the prototype chain", () => {
    expect(valueAtPath(args, "constructor")).toBeUndefined();
    expect(valueAtPath(args, "__proto__")).toBeUndefined();
    expect(valueAtPath(args, "id.length")).toBeUndefined();
  });
});

describe("predicateHolds", () => {
  const cases: [ArgumentPredicate, boolean][] = [
    [{ path: "id", op: "equals", value: "c-1" }, true],
    [{ path: "id", op: "equals", value: "c-2" }, false],
    [{ path: "amount", op: "equals", value: "150" }, false],
    [{ path: "nothing", op: "equals", value: null }, true],
    [{ path: "missing", op: "equals", value: null }, false],
    [{ path: "flag", op: "equals", value: false }, true],
    [{ path: "path", op: "contains", value: "demo" }, true],
    [{ path: "ids", op: "contains", value: "b" }, true],
    [{ path: "ids", op: "contains", value: "c" }, false],
    [{ path: "amount", op: "contains", value: "1" }, false],
    [{ path: "path", op: "regex", value: "^/demo/" }, true],
    [{ path: "path", op: "regex", value: "^/etc/" }, false],
    [{ path: "amount", op: "regex", value: "^1\\d\\d$" }, true],
    [{ path: "nested", op: "regex", value: ".*" }, false],
    [{ path: "amount", op: "gt", value: 100 }, true],
    [{ path: "amount", op: "gt", value: 150 }, false],
    [{ path: "amount", op: "gte", value: 150 }, true],
    [{ path: "amount", op: "lt", value: 150 }, false],
    [{ path: "amount", op: "lte", value: 150 }, true],
    [{ path: "amountText", op: "gt", value: 42 }, true],
    [{ path: "id", op: "gt", value: 0 }, false],
    [{ path: "ids", op: "lengthGt", value: 1 }, true],
    [{ path: "ids", op: "lengthGt", value: 2 }, false],
    [{ path: "id", op: "lengthGt", value: 2 }, true],
    [{ path: "amount", op: "lengthGt", value: 0 }, false],
    [{ path: "nothing", op: "exists", value: true }, true],
    [{ path: "missing", op: "exists", value: true }, false],
    [{ path: "missing", op: "exists", value: false }, true],
  ];
  it.each(cases)("%j = %s", (pred, expected) => {
    expect(predicateHolds(pred, args)).toBe(expected);
  });

  it("treats a regex that RE2 cannot compile as not holding", () => {
    expect(predicateHolds({ path: "id", op: "regex", value: "(c)\\1" }, args)).toBe(false);
  });

  it("allPredicatesHold needs every predicate and holds for an empty list", () => {
    expect(allPredicatesHold([], args)).toBe(true);
    expect(
      allPredicatesHold(
        [
          { path: "amount", op: "gt", value: 1 },
          { path: "id", op: "equals", value: "c-1" },
        ],
        args,
      ),
    ).toBe(true);
    expect(
      allPredicatesHold(
        [
          { path: "amount", op: "gt", value: 1 },
          { path: "id", op: "equals", value: "nope" },
        ],
        args,
      ),
    ).toBe(false);
  });
});

describe("re2Problem", () => {
  it("accepts RE2 syntax and rejects backreferences and lookaround", () => {
    expect(re2Problem("^[a-z]+\\d{2,4}$")).toBeNull();
    expect(re2Problem("(a)\\1")).not.toBeNull();
    expect(re2Problem("foo(?=bar)")).not.toBeNull();
    expect(re2Problem("(?<!x)y")).not.toBeNull();
  });
});

describe("predicateHolds modes: type mismatches fail closed for guardrails and approvals", () => {
  const gt = { path: "amount", op: "gt", value: 1000 } as const;
  it.each<[unknown]>([["5e3"], [" 5000"], [[5000]], ["0x1388"], [true], [null], [{ v: 5000 }], ["abc"]])(
    "amount %j: failClosed holds, strict does not",
    (amount) => {
      expect(predicateHolds(gt, { amount }, "failClosed")).toBe(true);
      expect(predicateHolds(gt, { amount }, "strict")).toBe(false);
    },
  );

  it("well-typed values and absent paths behave the same in both modes", () => {
    for (const mode of ["strict", "failClosed"] as const) {
      expect(predicateHolds(gt, { amount: 5000 }, mode)).toBe(true);
      expect(predicateHolds(gt, { amount: "5000" }, mode)).toBe(true);
      expect(predicateHolds(gt, { amount: 500 }, mode)).toBe(false);
      expect(predicateHolds(gt, {}, mode)).toBe(false);
      expect(predicateHolds({ path: "missing", op: "exists", value: false }, {}, mode)).toBe(true);
    }
  });

  it("a path that runs into a non-object, or arguments that are not an object, fail closed", () => {
    const nested = { path: "order.amount", op: "gt", value: 1000 } as const;
    expect(predicateHolds(nested, { order: "5000" }, "failClosed")).toBe(true);
    expect(predicateHolds(nested, { order: [{ amount: 5000 }] }, "failClosed")).toBe(true);
    expect(predicateHolds(gt, "amount=5000", "failClosed")).toBe(true);
    expect(predicateHolds(nested, { order: "5000" }, "strict")).toBe(false);
  });

  it("equals, contains, regex and lengthGt treat other types as a match when failing closed", () => {
    const fc = (pred: ArgumentPredicate, v: unknown) => predicateHolds(pred, { v }, "failClosed");
    expect(fc({ path: "v", op: "equals", value: "prod" }, ["prod"])).toBe(true);
    expect(fc({ path: "v", op: "equals", value: "prod" }, "dev")).toBe(false);
    expect(fc({ path: "v", op: "equals", value: 5 }, "5")).toBe(true);
    expect(fc({ path: "v", op: "equals", value: null }, "x")).toBe(false);
    expect(fc({ path: "v", op: "contains", value: "c-1" }, [["c-1"]])).toBe(true);
    expect(fc({ path: "v", op: "contains", value: "c-1" }, ["c-2"])).toBe(false);
    expect(fc({ path: "v", op: "contains", value: "x" }, 7)).toBe(true);
    expect(fc({ path: "v", op: "regex", value: "^/etc/" }, ["/etc/passwd"])).toBe(true);
    expect(fc({ path: "v", op: "regex", value: "^/etc/" }, "/home")).toBe(false);
    expect(fc({ path: "v", op: "lengthGt", value: 1 }, { 0: "a", 1: "b", length: 2 })).toBe(true);
    expect(
      allPredicatesHold([gt, { path: "v", op: "equals", value: "x" }], { amount: "5e3", v: "x" }, "failClosed"),
    ).toBe(true);
  });
});
