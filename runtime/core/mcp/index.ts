export * from "./jsonrpc";
export * from "./protocol";
export * from "./sse-parser";
export * from "./session-envelope";
export * from "./agent-token";
