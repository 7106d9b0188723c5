/** @type {import('jest').Config} */
const base = {
  testEnvironment: "node",
  testMatch: ["**/*.test.ts"],
  transform: {
    // Type errors are caught by `npm run typecheck` (run in CI); transpiling only keeps the suite fast.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
};

module.exports = {
  // Integration tests start real servers (Azurite, an OIDC issuer, MCP servers); on a 2-core
  // machine two workers is the sweet spot.
  maxWorkers: 2,
  // A global option (a project's own testTimeout is ignored): real servers start inside tests.
  testTimeout: 60000,
  // Many tests run the built processes (node dist/...): say so once, clearly, instead of 30 failures.
  globalSetup: "<rootDir>/test/support/require-build.js",
  projects: [
    {
      ...base,
      // Only the infrastructure tests load cdktf and its matchers (toHaveResource…).
      displayName: "stacks",
      roots: ["<rootDir>/test/stacks"],
      setupFilesAfterEnv: ["<rootDir>/test/support/jest-setup.ts", "<rootDir>/test/support/jest-setup-cdktf.ts"],
    },
    {
      ...base,
      displayName: "runtime",
      roots: ["<rootDir>/test"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/stacks/"],
      setupFilesAfterEnv: ["<rootDir>/test/support/jest-setup.ts"],
    },
  ],
};
