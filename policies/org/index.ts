export * from "./build-declared-bundle";
export * from "./demo-settings";
export * from "./example-org";
