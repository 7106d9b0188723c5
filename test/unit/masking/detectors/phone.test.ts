import { valuesOf } from "../scan-helper";

describe("phone", () => {
  it.each([
    ["E.164 compact", "+14155552671"],
    ["E.164 grouped", "+1 415 555 2671"],
    ["E.164 with area in parentheses", "+1 (415) 555-2671"],
    ["UK international", "+44 20 7946 0958"],
    ["DE international", "+49 30 12345678"],
    ["FR international", "+33 1 23 45 67 89"],
    ["US dashed", "415-555-2671"],
    ["US dotted", "415.555.2671"],
    ["US parentheses", "(415) 555-2671"],
    ["US trunk", "1-800-555-0199"],
    ["UK London", "020 7946 0958"],
    ["UK mobile", "07700 900123"],
    ["DE", "030 12345678"],
    ["DE slash", "089/1234567"],
    ["FR", "01 23 45 67 89"],
    ["FR dotted", "06.12.34.56.78"],
  ])("finds %s", (_kind, v) => {
    expect(valuesOf("phone", `call ${v} now`)).toEqual([v]);
  });

  it.each([
    ["an IPv4 address", "192.168.1.10"],
    ["a version", "1.2.3.4"],
    ["a date", "2024-01-15"],
    ["a European date", "15.01.2024"],
    ["a timestamp", "2024-01-15T10:22:33Z"],
    ["an order number", "ORD-2024-000123"],
    ["a bare number", "4155552671"],
    ["a zip+4", "94105-1234"],
    ["a US shape with area code 0", "015-555-2671"],
    ["grouped like a card", "1234 5678 9012"],
  ])("ignores %s", (_kind, v) => {
    expect(valuesOf("phone", `value ${v} end`)).toEqual([]);
  });
});
