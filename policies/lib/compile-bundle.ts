/**
 * Compiles a policy construct tree into the sealed bundle the gateway and agent load. Every
 * construct's own validation and the cross-construct checks run first; all problems are thrown
 * together in one PolicyValidationError, each naming its construct path.
 */
import type { IConstruct } from "constructs";
import { z } from "zod";
import { sealBundle } from "../../runtime/core/policy-model/bundle-version";
import type { PolicyBundle } from "../../runtime/core/policy-model/schema";
import { bundleProblems } from "../../runtime/core/policy-model/bundle-problems";
import { AccessRule } from "./access-rule";
import { ApprovalRule } from "./approval-rule";
import { resolveCommit } from "./git-commit";
import { Guardrail } from "./guardrail";
import { MaskingRule } from "./masking-rule";
import { McpServer } from "./mcp-server";
import { PolicySet } from "./policy-set";
import { PolicyValidationError } from "./policy-validation-error";
import { validatePolicySet, type Located } from "./validate-policy-set";

export interface CompileOptions {
  /**
   * Commit stamped on the bundle.
   * @default - GATEHOUSE_POLICY_COMMIT, else `git rev-parse HEAD` in `cwd`, else null
   */
  readonly commit?: string | null;
  /** @default process.cwd() */
  readonly cwd?: string;
}

export function compileBundle(scope: IConstruct, options: CompileOptions = {}): PolicyBundle {
  const nodes = scope.node.findAll();
  const of = <C extends IConstruct & { toSpec(): unknown }>(
    cls: abstract new (...a: never[]) => C,
  ): Located<ReturnType<C["toSpec"]>>[] =>
    nodes
      .filter((n): n is C => n instanceof cls)
      .map((n) => ({ path: n.node.path || n.node.id, spec: n.toSpec() as ReturnType<C["toSpec"]> }));

  const problems = nodes.flatMap((n) => n.node.validate());
  const tree = {
    servers: of(McpServer),
    access: of(AccessRule),
    masking: of(MaskingRule),
    approvals: of(ApprovalRule),
    guardrails: of(Guardrail),
  };
  if (tree.servers.length === 0)
    problems.push(`${scope.node.path || scope.node.id}: no McpServer is declared, expected at least one`);
  problems.push(...validatePolicySet(tree));
  if (problems.length > 0) throw new PolicyValidationError(problems);

  const root =
    nodes.find((n): n is PolicySet => n instanceof PolicySet) ??
    scope.node.scopes.find((n): n is PolicySet => n instanceof PolicySet);
  const body = {
    schemaVersion: 1,
    commit: options.commit !== undefined ? options.commit : resolveCommit(options.cwd),
    servers: tree.servers.map((x) => x.spec),
    access: tree.access.map((x) => x.spec),
    masking: tree.masking.map((x) => x.spec),
    maskingSettings: { ...(root?.props.maskingSettings ?? {}) },
    approvals: tree.approvals.map((x) => x.spec),
    guardrails: tree.guardrails.map((x) => x.spec),
  };
  let bundle: PolicyBundle;
  try {
    bundle = sealBundle(body);
  } catch (e) {
    // The construct checks mirror the schema; anything left is still reported, never swallowed.
    if (e instanceof z.ZodError)
      throw new PolicyValidationError(e.issues.map((i) => `bundle.${i.path.join(".")}: ${i.message}`));
    throw e;
  }
  const residual = bundleProblems(bundle);
  if (residual.length > 0) throw new PolicyValidationError(residual.map((p) => `bundle.${p}`));
  return bundle;
}
