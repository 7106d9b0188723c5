import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import type { PolicyBundle } from "../../../runtime/core/policy-model/schema";

/** A sealed bundle with the given masking rules and settings (no servers or access rules needed). */
export function bundleWith(masking: unknown[], maskingSettings: Record<string, unknown> = {}): PolicyBundle {
  return sealBundle({ schemaVersion: 1, servers: [], access: [], masking, maskingSettings });
}
