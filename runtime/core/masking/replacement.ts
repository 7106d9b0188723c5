import { createHmac } from "node:crypto";
import type { MaskingRule } from "../policy-model/schema";

export type MaskStyle = MaskingRule["style"];

/**
 * How much each style reveals, least first: redact reveals nothing, hash reveals equality (the
 * same value gives the same tag under one key), last4 reveals four characters. When several
 * rules mask the same entity type the strictest (highest rank) style wins.
 */
export const STYLE_STRICTNESS: Readonly<Record<MaskStyle, number>> = { last4: 1, hash: 2, redact: 3 };

export function stricter(a: MaskStyle | undefined, b: MaskStyle): MaskStyle {
  return a === undefined || STYLE_STRICTNESS[b] > STYLE_STRICTNESS[a] ? b : a;
}

/** Values shorter than this are redacted whole by last4: four characters would be most of them. */
const LAST4_MIN = 8;

/** Canonical form hashed, so `4111 1111 1111 1111` and `4111111111111111` correlate. */
function canonical(type: string, value: string): string {
  switch (type) {
    case "credit_card":
    case "us_ssn":
      return value.replace(/[^0-9]/g, "");
    case "phone":
      return value.replace(/[^0-9+]/g, "");
    case "iban":
      return value.replace(/ /g, "").toUpperCase();
    case "email":
      return value.toLowerCase();
    default:
      return value;
  }
}

/** Any text replacementFor() produces (all three styles): a placeholder, never a value. */
export const MASK_PLACEHOLDER = /\[(?:REDACTED:[A-Za-z0-9_]+(?::…[^\]]*)?|HASH:[A-Za-z0-9_]+:[0-9a-f]{16})\]/;

/**
 * The text that replaces a masked value:
 * - redact: `[REDACTED:<type>]`
 * - last4:  `[REDACTED:<type>:…<last 4 letters or digits>]` (redact when the value has fewer than 8)
 * - hash:   `[HASH:<type>:<first 16 hex of HMAC-SHA256(hashKey, canonical value)>]`
 */
export function replacementFor(type: string, style: MaskStyle, value: string, hashKey: Buffer | undefined): string {
  if (style === "hash" && hashKey) {
    const tag = createHmac("sha256", hashKey).update(canonical(type, value), "utf8").digest("hex").slice(0, 16);
    return `[HASH:${type}:${tag}]`;
  }
  if (style === "last4") {
    const alnum = value.replace(/[^0-9A-Za-z]/g, "");
    if (alnum.length >= LAST4_MIN) return `[REDACTED:${type}:…${alnum.slice(-4)}]`;
  }
  return `[REDACTED:${type}]`;
}
