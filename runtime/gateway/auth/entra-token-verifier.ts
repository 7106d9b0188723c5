/**
 * The Entra ID verifier: the generic OIDC verifier with the Entra profile, configured with the
 * option names of passport-azure-ad where they map (docs/decisions/0001). Kept for the callers
 * and tests that configure one Entra provider directly.
 */
import { IdentityProviderSchema, type IdentityProvider } from "../../core/config/identity-providers";
import { OidcTokenVerifier } from "./oidc-token-verifier";

export { mapJoseError } from "./jose-errors";

export interface EntraVerifierOptions {
  /** OpenID discovery document URL. */
  readonly identityMetadata: string;
  /** Accepted `aud` values. */
  readonly audience: string | string[];
  /** Explicit accepted issuers; @default - derived from the discovery document and tenantIds. */
  readonly issuer?: string | string[];
  /** Allowed `tid` values; @default - the tenant of the discovery document's issuer only. */
  readonly tenantIds?: string[];
  /** @default 60 */
  readonly clockSkew?: number;
}

export function entraProviderOf(o: EntraVerifierOptions): IdentityProvider {
  const list = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  return IdentityProviderSchema.parse({
    name: "entra",
    profile: "entra",
    metadata: o.identityMetadata,
    audiences: list(o.audience),
    tenantIds: o.tenantIds ?? [],
    issuers: list(o.issuer)?.length ? list(o.issuer) : undefined,
    clockSkewSeconds: o.clockSkew ?? 60,
  });
}

export class EntraTokenVerifier extends OidcTokenVerifier {
  constructor(opts: EntraVerifierOptions) {
    super(entraProviderOf(opts));
  }
}
