import { firstMatch, globMatch, matchesAny } from "../../../runtime/core/policy-model/glob";

describe("globMatch", () => {
  it.each([
    ["*", "", true],
    ["*", "anything/at all", true],
    ["list_*", "list_customers", true],
    ["list_*", "get_customer", false],
    ["get_?ustomer", "get_customer", true],
    ["get_?ustomer", "get_ustomer", false],
    ["?", "é", true],
    ["?", "ab", false],
    ["a*b*c", "axxbyyc", true],
    ["a*b*c", "axxbyy", false],
    ["*_customer", "delete_customer", true],
    ["delete_customer", "delete_customer", true],
    ["delete_customer", "Delete_customer", false],
    ["file:///demo/*", "file:///demo/a/b.txt", true],
    ["file:///demo/*", "file:///etc/passwd", false],
    ["a**", "a", true],
    ["*a", "bbb", false],
    ["[abc]", "a", false],
    ["[abc]", "[abc]", true],
  ])("%s vs %s = %s", (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  it("does not blow up on patterns that make backtracking matchers exponential", () => {
    // With exponential backtracking this would not finish; the two-pointer matcher is quadratic at worst.
    const pattern = "a*".repeat(100) + "b";
    expect(globMatch(pattern, "a".repeat(5000))).toBe(false);
  });

  it("matchesAny and firstMatch treat an empty list as matching nothing", () => {
    expect(matchesAny([], "x")).toBe(false);
    expect(firstMatch([], "x")).toBeNull();
    expect(firstMatch(["y*", "x*"], "xyz")).toBe("x*");
  });
});
