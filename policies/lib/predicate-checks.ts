import type { ArgumentPredicate } from "../../runtime/core/policy-model/schema";
import { ArgumentPredicateSchema } from "../../runtime/core/policy-model/schema";
import { re2Problem } from "../../runtime/core/policy-model/argument-predicates";
import { predicateContradictions } from "./predicate-contradictions";
import { shown, type ValidationCheck } from "./validation";

/** A regex accepted only when RE2 compiles it: linear time, no backreferences or lookaround. */
export function regexCheck(pattern: string, where: string): ValidationCheck {
  const problem = re2Problem(pattern);
  return {
    condition: problem !== null,
    message: `${where} ${shown(pattern)} is not a linear-time (re2) regular expression (${problem}), expected re2 syntax: no backreferences, lookahead or lookbehind`,
  };
}

/** Checks of a list of argument predicates; `never` says what a contradiction means for the rule. */
export function predicateChecks(preds: readonly ArgumentPredicate[], where: string, never: string): ValidationCheck[] {
  const contradictions = predicateContradictions(preds);
  return [
    ...preds.map((p, i) => {
      const parsed = ArgumentPredicateSchema.safeParse(p);
      return {
        condition: !parsed.success,
        message: `${where}[${i}] ${shown(p)} is not a predicate, expected {path, op, value} with op one of equals, contains, regex, gt, gte, lt, lte, lengthGt, exists`,
      };
    }),
    ...preds.map((p, i) => ({
      condition: typeof p.path !== "string" || p.path.split(".").some((s) => s === ""),
      message: `${where}[${i}].path ${shown(p.path)} is not a dot path, expected e.g. "ids" or "filter.amount"`,
    })),
    ...preds.flatMap((p, i) =>
      p.op === "regex" && typeof p.value === "string" ? [regexCheck(p.value, `${where}[${i}].value`)] : [],
    ),
    ...contradictions.map((c) => ({ condition: true, message: `${where} can never all hold: ${c}; ${never}` })),
  ];
}
