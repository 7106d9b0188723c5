export * from "./rule";
export * from "./suppressions";
export * from "./evaluate-compliance";
export * from "./compliance-aspect";
export * from "./rule-pack";
