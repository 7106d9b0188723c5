import type { MaskingSettings } from "../../../policies/schema";
import { GatehouseError } from "../errors";
import type { Masker, MaskContext, MaskOutcome } from "./masker";

/** Any Masker; createMasker's also carries the bundle's settings (without them: withhold, 10 MiB). */
type SseMasker = Masker & { readonly settings?: MaskingSettings };
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Masks the data of one complete SSE event (a JSON-RPC message). The gateway owns SSE framing:
 * it buffers each event until its terminating blank line, calls this, and writes only the
 * returned data, so nothing unmasked is flushed before its message has been scanned.
 *
 * Empty data (a keep-alive or priming event) is returned as is. Data that is not JSON cannot be
 * scanned: ERR_RESULT_WITHHELD, unless the policy's onUnscannable is "pass".
 */
export function maskSseEventData(masker: SseMasker, data: string, ctx: MaskContext): MaskOutcome<string> {
  if (data.trim() === "") return { value: data, counts: {} };
  if (Buffer.byteLength(data, "utf8") > (masker.settings?.maxScanBytes ?? DEFAULT_MAX_BYTES)) return unscannable(masker, data, ctx, "too_large");
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return unscannable(masker, data, ctx, "malformed");
  }
  const out = masker.maskMessage(message, ctx);
  return { value: JSON.stringify(out.value), counts: out.counts };
}

function unscannable(masker: SseMasker, data: string, ctx: MaskContext, reason: string): MaskOutcome<string> {
  if (masker.settings?.onUnscannable === "pass") return { value: data, counts: { unscannable: 1 } };
  throw new GatehouseError("ERR_RESULT_WITHHELD", `the event was withheld: it could not be scanned for sensitive data (${reason})`, {
    reason,
    server: ctx.server,
    tool: ctx.tool ?? null,
  });
}
