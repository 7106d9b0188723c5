import { decodeClientJson, decodeUpstreamText, parseMediaType } from "../../../runtime/core/mcp/body-charset";

const code = (f: () => unknown) => {
  try {
    f();
    return null;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe("one charset on the data path", () => {
  test("media types: every charset parameter is seen, quoted or not", () => {
    expect(parseMediaType('Application/JSON; charset="UTF-8"; charset=utf-7')).toEqual({
      type: "application/json",
      charsets: ["utf-8", "utf-7"],
    });
  });

  test("client bodies: UTF-8 JSON only", () => {
    const body = Buffer.from('{"a":"é"}');
    expect(decodeClientJson("application/json", body)).toBe('{"a":"é"}');
    expect(
      decodeClientJson("application/json; charset=utf-8", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body])),
    ).toBe('{"a":"é"}');
    expect(code(() => decodeClientJson("application/json-seq", body))).toBe("ERR_UNSUPPORTED_MEDIA_TYPE");
    expect(code(() => decodeClientJson("application/json; charset=utf-7", body))).toBe("ERR_UNSUPPORTED_MEDIA_TYPE");
    expect(code(() => decodeClientJson("application/json; charset=utf-8; charset=utf-8", body))).toBe(
      "ERR_UNSUPPORTED_MEDIA_TYPE",
    );
    expect(code(() => decodeClientJson("application/json", Buffer.from([0xfe, 0xff, 0x00, 0x7b])))).toBe(
      "ERR_UNSUPPORTED_MEDIA_TYPE",
    );
    expect(code(() => decodeClientJson("application/json", Buffer.from([0x7b, 0xff, 0x7d])))).toBe(
      "ERR_UNSUPPORTED_MEDIA_TYPE",
    );
  });

  test("upstream answers: decoded by their declared charset, strictly, or refused", () => {
    expect(decodeUpstreamText("application/json; charset=utf-16le", Buffer.from('{"a":1}', "utf16le"))).toBe('{"a":1}');
    expect(decodeUpstreamText("application/json; charset=iso-8859-1", Buffer.from([0x22, 0xe9, 0x22]))).toBe('"é"');
    expect(code(() => decodeUpstreamText("application/json; charset=utf-7", Buffer.from("{}")))).toBe(
      "ERR_UPSTREAM_BAD_RESPONSE",
    );
    expect(
      code(() =>
        decodeUpstreamText("application/json", Buffer.from('{"a":1}', "utf16le").subarray(0, 6).fill(0xff, 0, 2)),
      ),
    ).toBe("ERR_UPSTREAM_BAD_RESPONSE");
    expect(code(() => decodeUpstreamText("application/json", Buffer.from([0x7b, 0xc3, 0x7d])))).toBe(
      "ERR_UPSTREAM_BAD_RESPONSE",
    );
  });
});
