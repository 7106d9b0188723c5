/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // Type errors are caught by `npm run typecheck` (run in CI); transpiling only keeps the suite fast.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  setupFilesAfterEnv: ["<rootDir>/test/support/jest-setup.ts"],
  testTimeout: 60000,
  // Integration tests start real servers (Azurite, an OIDC issuer, MCP servers); on a 2-core
  // machine two workers is the sweet spot.
  maxWorkers: 2,
};
