import type { ArgumentPredicate } from "../../../runtime/core/policy-model/schema";
import { predicateContradictions } from "../../../policies/lib/predicate-contradictions";

describe("predicateContradictions", () => {
  it.each<[string, ArgumentPredicate[]]>([
    [
      "two equals",
      [
        { path: "a", op: "equals", value: 1 },
        { path: "a", op: "equals", value: 2 },
      ],
    ],
    [
      "absent and present",
      [
        { path: "a", op: "exists", value: false },
        { path: "a", op: "exists", value: true },
      ],
    ],
    [
      "empty range",
      [
        { path: "a", op: "gte", value: 5 },
        { path: "a", op: "lte", value: 4 },
      ],
    ],
    [
      "open range on one point",
      [
        { path: "a", op: "gt", value: 5 },
        { path: "a", op: "lte", value: 5 },
      ],
    ],
    [
      "equals failing regex",
      [
        { path: "a", op: "equals", value: "abc" },
        { path: "a", op: "regex", value: "^x" },
      ],
    ],
    [
      "equals failing contains",
      [
        { path: "a", op: "equals", value: "abc" },
        { path: "a", op: "contains", value: "z" },
      ],
    ],
    [
      "equals failing lengthGt",
      [
        { path: "a.0", op: "equals", value: "ab" },
        { path: "a.0", op: "lengthGt", value: 3 },
      ],
    ],
  ])("reports %s", (_name, preds) => {
    expect(predicateContradictions(preds)).toHaveLength(1);
  });

  it.each<[string, ArgumentPredicate[]]>([
    [
      "different paths",
      [
        { path: "a", op: "equals", value: 1 },
        { path: "b", op: "equals", value: 2 },
      ],
    ],
    [
      "a closed point",
      [
        { path: "a", op: "gte", value: 5 },
        { path: "a", op: "lte", value: 5 },
      ],
    ],
    [
      "equals inside bounds",
      [
        { path: "a", op: "equals", value: 5 },
        { path: "a", op: "gt", value: 1 },
      ],
    ],
    [
      "absent twice",
      [
        { path: "a", op: "exists", value: false },
        { path: "a", op: "exists", value: false },
      ],
    ],
    [
      "length and regex",
      [
        { path: "a", op: "lengthGt", value: 1 },
        { path: "a", op: "regex", value: "x" },
      ],
    ],
  ])("accepts %s", (_name, preds) => {
    expect(predicateContradictions(preds)).toEqual([]);
  });
});
