/**
 * What the CLI may take from the local stack (`npm run dev`) when, and only when, the store it
 * reads is that stack's own Azurite: the policy bundle the local gateway runs (its version differs
 * from the declared policies' whenever the demo servers got other ports, and without it every
 * call would be `approval_rule_unverifiable`), and the stack's signing key file.
 */
import fs from "node:fs";
import path from "node:path";
import { readLocalStack, type LocalStack } from "../core/local-stack-file";
import { findLocalStack, resolveStore } from "../core/audit/audit-store";

export interface LocalStackContext {
  readonly stack: LocalStack;
  /** The bundle the local gateway loaded, when the file is still there. */
  readonly policyBundleFile: string | null;
  /** The local gateway's signing key (JWK with the private part), when the file is there. */
  readonly signingKeyFile: string | null;
}

/** The local stack whose store the CLI is about to read, or null (another store, or no stack). */
export function localStackFor(flags: { connectionString?: string; blobUrl?: string }): LocalStackContext | null {
  let location;
  let found;
  try {
    location = resolveStore(flags);
    found = findLocalStack();
  } catch {
    // No store, or an unreadable local-stack.json: the store lookup itself reports that, clearly.
    return null;
  }
  if (!found || location.kind !== "connection-string" || location.value !== found.storageConnectionString) return null;
  const stack = readLocalStack(path.dirname(found.file));
  if (!stack) return null;
  const bundle = path.resolve(stack.home, stack.policyBundleFile);
  const key = path.join(stack.home, "signing-key.json");
  return {
    stack,
    policyBundleFile: fs.existsSync(bundle) ? bundle : null,
    signingKeyFile: fs.existsSync(key) ? key : null,
  };
}
