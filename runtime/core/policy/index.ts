export * from "./argument-predicates";
export * from "./bundle-problems";
export * from "./glob";
export * from "./load-bundle";
export * from "./policy-engine";
export * from "./principals";
