/**
 * Validates an approver's edited arguments against the tool's input schema (its tools/list
 * `inputSchema`, snapshot in the approval record) with ajv, a real JSON Schema validator: draft
 * 2020-12 when the schema says so (MCP's default), draft-07 otherwise. Errors name schema paths
 * and keywords only, never a value (the edited values may be secrets).
 */
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020";
import { GatehouseError } from "../errors";

const options = { strict: false, allErrors: true, logger: false, validateFormats: false } as const;

export function assertMatchesInputSchema(schema: Record<string, unknown>, args: unknown, approvalId: string): void {
  const is2020 = typeof schema.$schema === "string" && schema.$schema.includes("2020-12");
  let validate;
  try {
    // A validator per edit: edits are rare human actions, and a shared one would keep every
    // record's schema object in its cache for the life of the process.
    validate = (is2020 ? new Ajv2020(options) : new Ajv(options)).compile(schema);
  } catch {
    throw new GatehouseError(
      "ERR_EDIT_UNAVAILABLE",
      "the tool's input schema could not be compiled, so an edit cannot be checked: approve or reject the call as it is",
      { approvalId },
    );
  }
  if (validate(args)) return;
  const errors = (validate.errors ?? []).slice(0, 20).map((e) => ({ schemaPath: e.schemaPath, keyword: e.keyword }));
  // Schema paths and keywords come from the tool's schema, never from the edited values.
  const where = errors
    .slice(0, 3)
    .map((e) => `${e.keyword} at ${e.schemaPath}`)
    .join("; ");
  throw new GatehouseError("ERR_EDIT_INVALID", `the edited arguments do not match the tool's input schema (${where})`, {
    approvalId,
    errors,
  });
}
