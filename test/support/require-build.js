// jest globalSetup: many tests run the built processes (node dist/runtime/...). Without a build
// they fail one by one with spawn errors; say once, above them, what to do instead. A warning, not
// a failure: unit tests run without a build.
const fs = require("node:fs");
const path = require("node:path");

module.exports = async function requireBuild() {
  const root = path.join(__dirname, "..", "..");
  const probe = path.join(root, "dist", "runtime", "gateway", "server.js");
  if (!fs.existsSync(probe)) {
    process.stderr.write(
      `\n*** dist/ is missing (${path.relative(root, probe)}): tests that run the gateway, agent or CLI will fail. ` +
        "Run `npm run build` first, or `npm test`, which builds then tests. ***\n\n",
    );
  }
};
