// Lint: typescript-eslint's recommended rules, plus the two type-aware rules that catch the bugs a
// gateway cannot afford — a promise nobody awaits (a lost audit write, an unhandled rejection) and a
// promise passed where a callback's result is ignored (an async express handler, an async listener).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "dist-image/**",
      "cdktf.out/**",
      "coverage/**",
      "node_modules/**",
      "bench/results/**",
      "test-artifacts/**",
      ".gatehouse/**",
      "tmp/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  {
    rules: {
      // A leading underscore marks a parameter kept for its position (express's four-argument error
      // handler) or a property dropped by rest destructuring.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // The runtime loads optional modules lazily (telemetry exporters, the Kusto language service,
      // the policies module a user points the CLI at) so a process that does not need them never
      // pays their start-up cost; those loads are plain require() calls on purpose.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    // Tests walk synthesized Terraform JSON and raw JSON-RPC bodies whose shape the assertion itself
    // checks; typing every such walk would add nothing the expect() does not already say.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Plain Node scripts (bin/, scripts/, test helper processes) are CommonJS or ESM run by Node.
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    languageOptions: { globals: { ...globals.node } },
  },
);
