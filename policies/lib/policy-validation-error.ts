import { GatehouseError } from "../../runtime/core/errors";

/** Every problem found while compiling a policy tree, each naming its construct path. */
export class PolicyValidationError extends GatehouseError {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(
      "ERR_POLICY_INVALID",
      `policy validation failed (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
      { problems },
    );
    this.name = "PolicyValidationError";
    this.problems = problems;
  }
}
