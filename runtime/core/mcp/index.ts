export * from "./jsonrpc";
export * from "./protocol";
export * from "./sse-parser";
export * from "./session-envelope";
export * from "./agent-token";
export * from "./mcp-methods";
export * from "./relayed-request-id";
export * from "./body-charset";
