import { valuesOf } from "../scan-helper";
import { luhnValid } from "../../../../runtime/core/masking/detectors/luhn";

describe("credit_card", () => {
  it.each([
    ["Visa", "4111111111111111"],
    ["Visa 13", "4222222222222"],
    ["Mastercard", "5555555555554444"],
    ["Mastercard 2-series", "2223003122003222"],
    ["Amex", "378282246310005"],
    ["Discover", "6011111111111117"],
    ["JCB", "3530111333300000"],
    ["Diners", "30569309025904"],
    ["UnionPay", "6200000000000005"],
    ["Maestro", "6759649826438453"],
  ])("finds %s numbers", (_brand, pan) => {
    expect(valuesOf("credit_card", `paid with ${pan}.`)).toEqual([pan]);
  });

  it("finds numbers grouped with spaces or dashes", () => {
    expect(valuesOf("credit_card", "a 4111 1111 1111 1111 b 4111-1111-1111-1111 c 3782 822463 10005")).toEqual([
      "4111 1111 1111 1111",
      "4111-1111-1111-1111",
      "3782 822463 10005",
    ]);
  });

  it("finds a card followed by more separated digits (an expiry, a file name's suffix)", () => {
    expect(
      valuesOf("credit_card", "card 4111111111111111-1227 dir /tmp/gh-4111111111111111-70X4mw 4111-1111-1111-1111-05"),
    ).toEqual(["4111111111111111", "4111111111111111", "4111-1111-1111-1111"]);
  });

  it("ignores numbers failing Luhn, unknown brands, mixed separators and longer digit runs", () => {
    expect(
      valuesOf("credit_card", "4111111111111112 order 1234567812345670 x 4111 1111-1111 1111 y 41111111111111110"),
    ).toEqual([]);
    expect(luhnValid("1234567812345670")).toBe(true); // valid Luhn, but no brand starts with 1
  });

  it("needs word boundaries", () => {
    expect(valuesOf("credit_card", "id4111111111111111 4111111111111111x 4111111111111111.25")).toEqual([]);
  });

  it("ignores millisecond timestamps and sha256 digests", () => {
    expect(
      valuesOf("credit_card", "ts 1700000000000 hash e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ).toEqual([]);
  });
});
