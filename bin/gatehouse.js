#!/usr/bin/env node
"use strict";
// The CLI is written in TypeScript under runtime/cli and compiled to dist/ by `npm run build`.
const path = require("node:path");
const entry = path.join(__dirname, "..", "dist", "runtime", "cli", "main.js");
try {
  require.resolve(entry);
} catch {
  process.stderr.write("gatehouse: the CLI is not built yet. Run `npm run build` first.\n");
  process.exit(2);
}
require(entry)
  .main(process.argv)
  .then((code) => process.exit(code));
