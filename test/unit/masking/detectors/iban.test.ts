import { valuesOf } from "../scan-helper";
import { ibanChecksumValid } from "../../../../runtime/core/masking/detectors/iban";

describe("iban", () => {
  it.each([
    "DE89370400440532013000",
    "GB82WEST12345698765432",
    "FR1420041010050500013M02606",
    "NL91ABNA0417164300",
    "BE68539007547034",
  ])("finds %s", (v) => {
    expect(valuesOf("iban", `pay to ${v} today`)).toEqual([v]);
  });

  it("finds the printed form in groups of four", () => {
    expect(valuesOf("iban", "IBAN: DE89 3704 0044 0532 0130 00.")).toEqual(["DE89 3704 0044 0532 0130 00"]);
  });

  it("rejects a wrong checksum, a wrong length and an unknown country", () => {
    expect(ibanChecksumValid("DE89370400440532013001")).toBe(false);
    expect(
      valuesOf("iban", "DE89370400440532013001 DE8937040044053201300 ZZ89370400440532013000 DE893704004405320130001"),
    ).toEqual([]);
  });

  it("ignores words that start like a country code", () => {
    expect(valuesOf("iban", "DEBUG AB12 GB1234 version DE1")).toEqual([]);
  });
});
