/**
 * Errors of Express's body parsers (express.json, express.urlencoded) as GatehouseErrors with
 * stable codes. A parser's own message quotes the body ("Unexpected token ... \"{not json\"...")
 * and its `body` property holds the raw text: neither is ever echoed, logged or audited.
 */
import { GatehouseError } from "../core/errors";

const MAPPED: Record<string, () => GatehouseError> = {
  "entity.parse.failed": () => new GatehouseError("ERR_BAD_REQUEST", "the request body is not valid JSON"),
  "entity.too.large": () => new GatehouseError("ERR_BODY_TOO_LARGE", "the request body is too large"),
  "charset.unsupported": () => new GatehouseError("ERR_UNSUPPORTED_MEDIA_TYPE", "unsupported charset: send UTF-8"),
  "encoding.unsupported": () => new GatehouseError("ERR_UNSUPPORTED_MEDIA_TYPE", "unsupported content encoding"),
};

/** The GatehouseError for a body-parser error, or null when `e` is not one. */
export function fromBodyParserError(e: unknown): GatehouseError | null {
  if (typeof e !== "object" || e === null) return null;
  const { type, status } = e as { type?: unknown; status?: unknown };
  if (typeof type !== "string" || typeof status !== "number") return null;
  const mapped = MAPPED[type];
  if (mapped) return mapped();
  // request.aborted, request.size.invalid, parameters.too.many, ...: the client's fault.
  return status >= 400 && status < 500
    ? new GatehouseError("ERR_BAD_REQUEST", "the request body could not be read")
    : null;
}
