/**
 * Loading a policy bundle at runtime start: the schema, the version seal (a hand-edited bundle is
 * refused) and the semantic checks. The runtime refuses to start on any problem (fail closed).
 */
import fs from "node:fs";
import { checkBundle } from "../policy-model/bundle-version";
import type { PolicyBundle } from "../policy-model/schema";
import { GatehouseError } from "../errors";
import { bundleProblems } from "../policy-model/bundle-problems";

function invalid(source: string, problems: string[]): GatehouseError {
  return new GatehouseError(
    "ERR_POLICY_INVALID",
    `policy bundle ${source} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    { source, problems },
  );
}

/** Validates a parsed bundle; throws GatehouseError ERR_POLICY_INVALID listing every problem. */
export function parseBundle(raw: unknown, source = "(inline)"): PolicyBundle {
  const checked = checkBundle(raw);
  if (!checked.ok) throw invalid(source, checked.errors);
  const problems = bundleProblems(checked.bundle);
  if (problems.length > 0) throw invalid(source, problems);
  return checked.bundle;
}

/** Reads and validates a bundle file; throws GatehouseError ERR_POLICY_INVALID listing every problem. */
export function loadBundleFile(path: string): PolicyBundle {
  let text: string;
  try {
    text = fs.readFileSync(path, "utf8");
  } catch (e) {
    throw invalid(path, [`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalid(path, [`not JSON: ${(e as Error).message}`]);
  }
  return parseBundle(raw, path);
}
