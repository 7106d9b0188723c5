import { valuesOf } from "../scan-helper";
import { PEM_PRIVATE_KEY_BEGIN as BEGIN, PEM_PRIVATE_KEY_END as END } from "../../../fixtures/secret-shaped-samples";

const BODY =
  "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n";

describe("pem_private_key", () => {
  it.each(["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY"])(
    "masks a %s block whole",
    (label) => {
      const block = `-----BEGIN ${label}-----\n${BODY}-----END ${label}-----`;
      expect(valuesOf("pem_private_key", `key:\n${block}\nnext`)).toEqual([block]);
    },
  );

  it("masks a JSON-escaped block", () => {
    const block = `${BEGIN}\\n${BODY.replace(/\n/g, "\\n")}${END}`;
    expect(valuesOf("pem_private_key", `{"k":"${block}"}`)).toEqual([block]);
  });

  it("masks a truncated block's header and body", () => {
    expect(valuesOf("pem_private_key", `${BEGIN}\n${BODY}`)).toEqual([`${BEGIN}\n${BODY.trimEnd()}`]);
  });

  it("leaves certificates and public keys alone", () => {
    expect(
      valuesOf(
        "pem_private_key",
        `-----BEGIN CERTIFICATE-----\n${BODY}-----END CERTIFICATE-----\n-----BEGIN PUBLIC KEY-----\n${BODY}-----END PUBLIC KEY-----`,
      ),
    ).toEqual([]);
  });
});
