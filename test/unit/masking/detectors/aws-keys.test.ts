import { valuesOf } from "../scan-helper";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describe("aws_access_key", () => {
  it("finds AKIA and ASIA key ids", () => {
    expect(valuesOf("aws_access_key", "id AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A")).toEqual(["AKIAIOSFODNN7EXAMPLE", "ASIAY34FZKBOKMUTVV7A"]);
  });
  it("needs exactly 16 characters after the prefix, upper-case or digits", () => {
    expect(valuesOf("aws_access_key", "AKIAIOSFODNN7EXAMPL AKIAIOSFODNN7EXAMPLEX AKIAiosfodnn7example AKIAAKIAAKIAAKIA")).toEqual([]);
  });
});

describe("aws_secret_key", () => {
  it("finds a 40-character key with AWS context before it or in the field name", () => {
    expect(valuesOf("aws_secret_key", `aws_secret_access_key = ${SECRET}`)).toEqual([SECRET]);
    expect(valuesOf("aws_secret_key", `export AWS_SECRET_ACCESS_KEY="${SECRET}"`)).toEqual([SECRET]);
    expect(valuesOf("aws_secret_key", SECRET, "awssecretaccesskey")).toEqual([SECRET]);
  });
  it("needs context", () => {
    expect(valuesOf("aws_secret_key", `blob ${SECRET}`)).toEqual([]);
  });
  it("ignores sha1 digests and longer runs even with context", () => {
    expect(valuesOf("aws_secret_key", "aws secret sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709")).toEqual([]);
    expect(valuesOf("aws_secret_key", `aws secret ${SECRET}A`)).toEqual([]);
  });
});
