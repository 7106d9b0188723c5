import { valuesOf } from "../scan-helper";
import {
  AWS_EXAMPLE_ACCESS_KEY_ID as AKIA_ID,
  AWS_EXAMPLE_SESSION_KEY_ID as ASIA_ID,
} from "../../../fixtures/secret-shaped-samples";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describe("aws_access_key", () => {
  it("finds AKIA and ASIA key ids", () => {
    expect(valuesOf("aws_access_key", `id ${AKIA_ID} and ${ASIA_ID}`)).toEqual([AKIA_ID, ASIA_ID]);
  });
  it("needs exactly 16 characters after the prefix, upper-case or digits", () => {
    expect(
      valuesOf(
        "aws_access_key",
        `${AKIA_ID.slice(0, -1)} ${AKIA_ID}X ${AKIA_ID.slice(0, 4)}${AKIA_ID.slice(4).toLowerCase()} AKIAAKIAAKIAAKIA`,
      ),
    ).toEqual([]);
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
