import type { PolicyBundle } from "../../runtime/core/policy-model/schema";
import { compileBundle, PolicySet, type CompileOptions } from "../lib";
import { declareExampleOrg } from "./example-org";

/** The organisation's declared policies, validated and sealed (used by main.ts and the CLI). */
export function buildDeclaredBundle(options: CompileOptions = {}): PolicyBundle {
  const set = new PolicySet("policies");
  declareExampleOrg(set);
  return compileBundle(set, options);
}
