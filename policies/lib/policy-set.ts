import { Construct } from "constructs";

/** Settings of the masking engine that apply to the whole bundle. */
export interface MaskingSettingsProps {
  /**
   * Results larger than this many bytes cannot be scanned; they are withheld.
   * @default 10485760 (10 MiB)
   */
  readonly maxScanBytes?: number;
  /**
   * What to do with a result that cannot be scanned: `withhold` (fail closed) or `pass`.
   * `pass` lets unmasked data through and must be an explicit decision.
   * @default "withhold"
   */
  readonly onUnscannable?: "withhold" | "pass";
  /**
   * Key Vault secret name of the HMAC key used by the `hash` masking style.
   * @default "masking-hash-key"
   */
  readonly hashKeySecretName?: string;
}

export interface PolicySetProps {
  /**
   * Masking engine settings.
   * @default - withhold unscannable results over 10 MiB; hash key secret "masking-hash-key"
   */
  readonly maskingSettings?: MaskingSettingsProps;
}

/**
 * The root of one organisation's policies: servers, access, masking, approval and guardrail
 * constructs are created under it, and `compileBundle(policySet)` turns the tree into a bundle.
 * A plain constructs tree (no cdktf App), so `gatehouse policy build` runs without synth.
 */
export class PolicySet extends Construct {
  readonly props: PolicySetProps;

  constructor(id = "policies", props: PolicySetProps = {}) {
    // A root construct has no scope.
    super(undefined as unknown as Construct, id);
    this.props = props;
  }
}
