import { valuesOf } from "../scan-helper";

describe("us_ssn", () => {
  it("finds dashed and spaced numbers", () => {
    expect(valuesOf("us_ssn", "SSN 123-45-6789, also 078 05 1120")).toEqual(["123-45-6789", "078 05 1120"]);
  });

  it("finds bare nine digits only with an SSN keyword nearby or in the field name", () => {
    expect(valuesOf("us_ssn", "social security number: 123456789")).toEqual(["123456789"]);
    expect(valuesOf("us_ssn", "order 123456789 shipped")).toEqual([]);
    expect(valuesOf("us_ssn", "123456789", "ssn")).toEqual(["123456789"]);
  });

  it.each(["000-12-3456", "666-12-3456", "900-12-3456", "999-12-3456", "123-00-4567", "123-45-0000"])(
    "rejects never-issued %s",
    (v) => {
      expect(valuesOf("us_ssn", `ssn ${v}`)).toEqual([]);
    },
  );

  it("ignores dates, phone numbers and longer dashed numbers", () => {
    expect(valuesOf("us_ssn", "2024-01-15 415-555-2671 123-45-6789-1 12-345-6789 1123-45-6789")).toEqual([]);
  });
});
