/**
 * The cdktf app: the declared policies compiled to a bundle, and the Gatehouse stack that deploys
 * and delivers it. `npm run synth` without configuration synthesizes with placeholders (and says
 * so); `npm run deploy` refuses placeholders (GATEHOUSE_REQUIRE_CONFIG=1, set by scripts/cdktf.js).
 */
import { App } from "cdktf";
import { buildDeclaredBundle } from "./policies";
import { isGatehouseError } from "./runtime/core/errors";
import { loadConfig, type GatehouseConfig } from "./stacks/config";
import { GatehouseStack } from "./stacks/gatehouse-stack";

function configuration(): GatehouseConfig {
  const strict = process.env.GATEHOUSE_REQUIRE_CONFIG === "1";
  try {
    return loadConfig(process.env, { allowPlaceholders: !strict });
  } catch (e) {
    if (!isGatehouseError(e) || e.code !== "ERR_CONFIG_INVALID") throw e;
    process.stderr.write(`gatehouse: ${e.message}\n`);
    process.exit(2);
  }
}

const config = configuration();
if (config.placeholders.length > 0) {
  process.stderr.write(
    `gatehouse: synthesizing with placeholder values for ${config.placeholders.join(", ")}; set them before deploying (docs/deploy.md)\n`,
  );
}

const app = new App();
const stack = new GatehouseStack(app, "gatehouse", { config, policyBundle: buildDeclaredBundle() });
app.synth();

// cdktf shows only the app's stderr (labelled [ERROR], whatever the level): say what passed and
// list every suppression, so none is silent. The reasons are also in cdk.tf.json under "//".
const report = stack.compliance.lastReport;
if (report) {
  const lines = report.suppressed.map((s) => `  ${s.ruleId} suppressed on ${s.path}: ${s.reason}`);
  process.stderr.write(
    `gatehouse (info): compliance passed: ${report.rulesEvaluated} rules over ${report.resourcesEvaluated} resources, ${report.suppressed.length} suppression(s)\n${lines.join("\n")}\n`,
  );
}
