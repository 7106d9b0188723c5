/**
 * The cdktf app: the declared policies compiled to a bundle, and the Gatehouse stack that deploys
 * and delivers it. `npm run synth` without configuration synthesizes with placeholders (and says
 * so); `npm run deploy` refuses placeholders (GATEHOUSE_REQUIRE_CONFIG=1, set by the deploy script).
 */
import { App } from "cdktf";
import { buildDeclaredBundle } from "./policies";
import { loadConfig } from "./stacks/config";
import { GatehouseStack } from "./stacks/gatehouse-stack";

const strict = process.env.GATEHOUSE_REQUIRE_CONFIG === "1";
const config = loadConfig(process.env, { allowPlaceholders: !strict });
if (config.placeholders.length > 0) {
  process.stderr.write(
    `gatehouse: synthesizing with placeholder values for ${config.placeholders.join(", ")}; set them before deploying (docs/deploy.md)\n`,
  );
}

const app = new App();
new GatehouseStack(app, "gatehouse", { config, policyBundle: buildDeclaredBundle() });
app.synth();
