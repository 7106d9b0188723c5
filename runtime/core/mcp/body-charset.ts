/**
 * One charset on the data path: UTF-8. The gateway decides on the text it decodes; if the
 * upstream decoded the same bytes differently (a `charset=utf-7` it honours, a UTF-16 byte-order
 * mark), it would execute a message nobody checked or audited (issue 12, item 1). So a client
 * body must be UTF-8 JSON, said so by its Content-Type, and an upstream answer is decoded by the
 * charset it declares before it is masked, or refused when that charset cannot be decoded.
 */
import { TextDecoder } from "node:util";
import { GatehouseError } from "../errors";

/** Byte-order marks of UTF-32 and UTF-16 (UTF-32 first: its LE mark begins with UTF-16's). */
const FOREIGN_BOMS = [
  Buffer.from([0x00, 0x00, 0xfe, 0xff]),
  Buffer.from([0xff, 0xfe, 0x00, 0x00]),
  Buffer.from([0xfe, 0xff]),
  Buffer.from([0xff, 0xfe]),
];

export interface MediaType {
  /** Lower-case type/subtype without parameters. */
  readonly type: string;
  /** Every `charset` parameter, lower-case and unquoted (a second one is an attack, not a typo). */
  readonly charsets: string[];
}

export function parseMediaType(header: string | undefined | null): MediaType {
  const [type, ...params] = (header ?? "").split(";");
  const charsets: string[] = [];
  for (const p of params) {
    const eq = p.indexOf("=");
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() !== "charset") continue;
    charsets.push(
      p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .toLowerCase(),
    );
  }
  return { type: type.trim().toLowerCase(), charsets };
}

const isUtf8 = (c: string) => c === "utf-8" || c === "utf8";

/** The text of a client POST: Content-Type application/json, charset absent or UTF-8, UTF-8 bytes. 415 otherwise. */
export function decodeClientJson(contentType: string | undefined, body: Buffer): string {
  const media = parseMediaType(contentType);
  if (media.type !== "application/json") throw unsupported("Content-Type must be application/json");
  if (media.charsets.length > 1 || (media.charsets.length === 1 && !isUtf8(media.charsets[0])))
    throw unsupported("the only charset accepted is utf-8");
  if (FOREIGN_BOMS.some((bom) => body.subarray(0, bom.length).equals(bom)))
    throw unsupported("the body must be UTF-8, not UTF-16 or UTF-32");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    throw unsupported("the body is not valid UTF-8");
  }
}

/**
 * The text of an upstream answer, decoded by its declared charset (UTF-8 when none), strictly:
 * bytes that do not decode are refused rather than masked as something else and relayed.
 */
export function decodeUpstreamText(contentType: string | undefined | null, body: Buffer | Uint8Array): string {
  const media = parseMediaType(contentType);
  if (media.charsets.length > 1) throw badUpstream("the MCP server declared more than one charset");
  const label = media.charsets[0] ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw badUpstream("the MCP server answered in a charset the gateway cannot decode");
  }
  if (
    decoder.encoding === "utf-8" &&
    FOREIGN_BOMS.some((bom) => Buffer.from(body.subarray(0, bom.length)).equals(bom))
  ) {
    throw badUpstream("the MCP server answered UTF-16 or UTF-32 without saying so");
  }
  try {
    return decoder.decode(body);
  } catch {
    throw badUpstream(`the MCP server's answer is not valid ${decoder.encoding}`);
  }
}

/** A streaming decoder for an SSE answer (same rules: its declared charset, strictly; only UTF-8 for SSE, per WHATWG). */
export function upstreamStreamDecoder(contentType: string | undefined | null): TextDecoder {
  const media = parseMediaType(contentType);
  if (media.charsets.length > 1 || (media.charsets.length === 1 && !isUtf8(media.charsets[0]))) {
    throw badUpstream("an event stream must be UTF-8");
  }
  return new TextDecoder("utf-8", { fatal: true });
}

function unsupported(why: string): GatehouseError {
  return new GatehouseError("ERR_UNSUPPORTED_MEDIA_TYPE", `Unsupported Media Type: ${why}`);
}

function badUpstream(why: string): GatehouseError {
  return new GatehouseError("ERR_UPSTREAM_BAD_RESPONSE", `Bad gateway: ${why}`);
}
