import { valuesOf } from "../scan-helper";

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
const token = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "1234567890", name: "John" })}.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U`;

describe("jwt", () => {
  it("finds a token after Bearer, in JSON and at the end of a sentence", () => {
    expect(valuesOf("jwt", `Bearer ${token}`)).toEqual([token]);
    expect(valuesOf("jwt", `{"t":"${token}"}`)).toEqual([token]);
    expect(valuesOf("jwt", `see ${token}.`)).toEqual([token]);
  });

  it("accepts an unsigned token (alg none, empty signature)", () => {
    const none = `${b64({ alg: "none" })}.${b64({ sub: "x" })}.`;
    expect(valuesOf("jwt", `t=${none} end`)).toEqual([none]);
  });

  it("requires a header that decodes to JSON with alg", () => {
    expect(valuesOf("jwt", `${b64({ typ: "JWT" })}.${b64({ sub: "x" })}.sig`)).toEqual([]);
    expect(valuesOf("jwt", "eyJnotbase64json.eyJzdWIiOiJ4In0.sig")).toEqual([]);
  });

  it("requires three segments and a boundary before the header", () => {
    expect(valuesOf("jwt", `${b64({ alg: "HS256" })}.${b64({ sub: "x" })}`)).toEqual([]);
    expect(valuesOf("jwt", `x${token}`)).toEqual([]);
  });
});
