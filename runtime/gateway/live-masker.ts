/**
 * The masker follows the policy bundle: built from each new bundle before that bundle is put in
 * force (a bundle whose masker cannot be built is refused, the old pair stays), swapped with it.
 * Without GATEHOUSE_MASKING_HASH_KEY a bundle with a `hash` masking rule is refused: at start the
 * gateway does not start, on a reload the bundle in force stays.
 *
 * A call pins its masker with its policy engine (pinMasker): a request straddling a reload is
 * masked by the bundle its audit record names, not by the one put in force meanwhile.
 */
import type { PolicyBundle } from "../core/policy-model/schema";
import { GatehouseError } from "../core/errors";
import { createMasker, type Masker } from "../core/masking/masker";
import { maskCopies } from "../core/masking/mask-copies";
import type { LivePolicy } from "../core/policy/live-policy";

export function buildMasker(bundle: PolicyBundle, hashKey: Buffer | undefined): Masker {
  const hashed = bundle.masking.filter((r) => r.style === "hash").map((r) => r.id);
  if (hashed.length > 0 && !hashKey) {
    throw new GatehouseError(
      "ERR_CONFIG_INVALID",
      `invalid configuration:\n  GATEHOUSE_MASKING_HASH_KEY: required because the policy bundle's masking rule${hashed.length === 1 ? "" : "s"} ${hashed.join(", ")} use${hashed.length === 1 ? "s" : ""} the hash style (set it, or GATEHOUSE_MASKING_HASH_KEY_FILE: 32 or more random bytes, base64; in Azure the Key Vault secret ${bundle.maskingSettings.hashKeySecretName})`,
      { problems: ["GATEHOUSE_MASKING_HASH_KEY"], ruleIds: hashed },
    );
  }
  return createMasker({ bundle, hashKey });
}

/** A Masker following a LivePolicy: it can name the masker built for any bundle still referenced. */
export interface LiveMasker extends Masker {
  /** The masker built from `bundle`; throws ERR_INTERNAL for a bundle it never built (never another bundle's). */
  forBundle(bundle: PolicyBundle): Masker;
}

/** A Masker that delegates to the one built from the bundle in force. */
export function liveMasker(policy: LivePolicy, hashKey: Buffer | undefined): LiveMasker {
  let current: Masker | null = null;
  // Keyed by the bundle object: a call that pinned an engine keeps its bundle, hence its masker, alive.
  const built = new WeakMap<PolicyBundle, Masker>();
  policy.addCheck((bundle) => {
    const next = buildMasker(bundle, hashKey);
    built.set(bundle, next);
    return () => void (current = next);
  });
  return {
    maskMessage: (message, ctx) => current!.maskMessage(message, ctx),
    maskValue: (value, ctx) => current!.maskValue(value, ctx),
    maskText: (text, ctx) => current!.maskText(text, ctx),
    // Both copies in one walk, as the masker in force does (calls use their pinned masker: forBundle).
    maskMessageCopies: (message, ctx) => maskCopies(current!, message, ctx),
    forBundle: (bundle) => {
      const m = built.get(bundle);
      if (!m)
        throw new GatehouseError(
          "ERR_INTERNAL",
          "Internal error: no masker was built for the policy bundle of this call",
        );
      return m;
    },
  };
}

/** The masker of one call: the one built from the call's pinned bundle (a static masker is its own pin). */
export function pinMasker(masker: Masker, bundle: PolicyBundle): Masker {
  return typeof (masker as Partial<LiveMasker>).forBundle === "function"
    ? (masker as LiveMasker).forBundle(bundle)
    : masker;
}
