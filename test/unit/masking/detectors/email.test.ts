import { valuesOf } from "../scan-helper";

describe("email", () => {
  it("finds addresses in prose, lists and markup", () => {
    expect(
      valuesOf(
        "email",
        "Write to alice.smith+tag@example.co.uk, <bob@mail.example.org>; carol_99@sub-domain.example.com.",
      ),
    ).toEqual(["alice.smith+tag@example.co.uk", "bob@mail.example.org", "carol_99@sub-domain.example.com"]);
  });

  it("ignores handles, hosts without a TLD and IP-literal domains", () => {
    expect(valuesOf("email", "@alice user@localhost a@b.c x@192.168.1.1 npm i @scope/pkg@1.2.3")).toEqual([]);
  });

  it("does not take a leading or trailing dot", () => {
    expect(valuesOf("email", "...dave@example.com.")).toEqual(["dave@example.com"]);
  });
});
