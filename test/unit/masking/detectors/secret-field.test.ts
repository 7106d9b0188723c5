import { valuesOf, found } from "../scan-helper";
import { isSecretFieldName } from "../../../../runtime/core/masking/detectors/secret-names";

describe("secret_field", () => {
  it("masks values of key=value and key: value pairs named like secrets", () => {
    expect(
      valuesOf("secret_field", "user=bob password=hunter2 db_passwd: s3cr3t&api_key=abc123;clientSecret = 'x y z'"),
    ).toEqual(["hunter2", "s3cr3t", "abc123", "x y z"]);
  });

  it("masks JSON-looking pairs and keeps the quotes", () => {
    expect(valuesOf("secret_field", '{"apiKey": "k-123", "token":"t\\"0k", "name": "x"}')).toEqual(["k-123", 't\\"0k']);
  });

  it("masks the credential after an auth scheme", () => {
    expect(valuesOf("secret_field", "Authorization: Bearer abc.def-123 next")).toEqual(["Bearer abc.def-123"]);
  });

  it("lets a specific detector name the entity inside the value", () => {
    expect(found("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).toEqual([
      "aws_secret_key:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ]);
  });

  it("ignores comparisons, URLs, empty and null values", () => {
    expect(
      valuesOf("secret_field", "if token == x; see https://token.example.com password= password=null token: \n"),
    ).toEqual([]);
  });

  it("recognises secret names, not protocol ones", () => {
    for (const n of [
      "password",
      "DB_PASSWORD",
      "x-api-key",
      "clientSecret",
      "connectionString",
      "privateKey",
      "AWS_SECRET_ACCESS_KEY",
      "spring.datasource.password",
    ]) {
      expect(isSecretFieldName(n)).toBe(true);
    }
    for (const n of ["nextPageToken", "progressToken", "tokenCount", "max_tokens", "username", "secretName"]) {
      expect(isSecretFieldName(n)).toBe(false);
    }
  });
});
