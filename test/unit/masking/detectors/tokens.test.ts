import { valuesOf } from "../scan-helper";
import { SLACK_BOT_TOKEN, SLACK_USER_TOKEN } from "../../../fixtures/secret-shaped-samples";

describe("github_token", () => {
  it.each(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"])("finds %s tokens", (p) => {
    const t = `${p}${"aB3".repeat(12)}`;
    expect(valuesOf("github_token", `token ${t}.`)).toEqual([t]);
  });
  it("finds fine-grained tokens", () => {
    const t = `github_pat_11ABCDEFG0${"x".repeat(12)}_${"Yz9".repeat(20)}`;
    expect(valuesOf("github_token", `GH=${t}`)).toEqual([t]);
  });
  it("ignores short bodies and other prefixes", () => {
    expect(
      valuesOf(
        "github_token",
        "ghp_short ghx_aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3 my_ghp_aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3",
      ),
    ).toEqual([]);
  });
});

describe("slack_token", () => {
  it.each([SLACK_BOT_TOKEN, SLACK_USER_TOKEN, "xoxa-2-abcdefghijklmnop"])("finds %s", (t) => {
    expect(valuesOf("slack_token", `slack ${t} ok`)).toEqual([t]);
  });
  it("ignores other prefixes and short bodies", () => {
    expect(valuesOf("slack_token", "xoxz-1234567890123 xoxb-123 boxb-1234567890123")).toEqual([]);
  });
});
