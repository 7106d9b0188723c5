import { parseCsv, toCsv } from "../../../runtime/core/evidence/csv";

describe("csv", () => {
  test("round-trips quotes, commas and line breaks", () => {
    const rows = [
      { a: 'say "hi", then\r\nleave', b: 3, c: null },
      { a: "", b: true, c: "x" },
    ];
    const text = toCsv(["a", "b", "c"], rows);
    expect(parseCsv(text)).toEqual([
      ["a", "b", "c"],
      ['say "hi", then\r\nleave', "3", ""],
      ["", "true", "x"],
    ]);
  });

  test("text a spreadsheet would run as a formula is neutralised", () => {
    const text = toCsv(["a"], [{ a: '=HYPERLINK("x")' }, { a: "@SUM(1)" }, { a: -5 }]);
    expect(
      parseCsv(text)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(['\'=HYPERLINK("x")', "'@SUM(1)", "-5"]);
  });

  test("an unclosed quote is refused", () => {
    expect(() => parseCsv('a\r\n"open')).toThrow(TypeError);
  });
});
