export * from "./parse-env";
export * from "./gateway-config";
export * from "./agent-config";
export * from "./bind-warning";
export * from "./load-policy";
