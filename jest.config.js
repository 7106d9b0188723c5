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
  // Integration tests start real servers (Azurite, an OIDC issuer, MCP servers) and spend part of
  // their time waiting on them, so a 2-core machine keeps three workers busy: measured on a quiet
  // 2-core machine, 1,444 tests, jest 249 s with 2 workers, 214 s with 3, 211 s with 4.
  maxWorkers: 3,
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
