import { canonicalSha256 } from "./canonical-json";
import { BundleBodySchema, PolicyBundleSchema, type BundleBody, type PolicyBundle } from "./schema";

/** The bundle's version: sha256 of the canonical JSON of the bundle without `version`. */
export function bundleVersion(body: BundleBody): string {
  return canonicalSha256(body);
}

/** Parses a body, applies defaults and stamps its version. */
export function sealBundle(body: unknown): PolicyBundle {
  const parsed = BundleBodySchema.parse(body);
  return { ...parsed, version: bundleVersion(parsed) };
}

export type BundleCheck = { ok: true; bundle: PolicyBundle } | { ok: false; errors: string[] };

/**
 * Validates a bundle read from disk or storage: the schema, and that `version` matches the
 * content (a hand-edited bundle is refused). The runtime refuses to start on `ok: false`.
 */
export function checkBundle(raw: unknown): BundleCheck {
  const parsed = PolicyBundleSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`) };
  }
  const { version, ...body } = parsed.data;
  const expected = bundleVersion(BundleBodySchema.parse(body));
  if (expected !== version) {
    return {
      ok: false,
      errors: [`version: the bundle was modified after it was built (expected ${expected}, got ${version})`],
    };
  }
  return { ok: true, bundle: parsed.data };
}
