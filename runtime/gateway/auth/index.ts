export * from "./create-entra-bearer-auth";
export * from "./entra-bearer-strategy";
export * from "./entra-token-verifier";
export * from "./jit-token-verifier";
export * from "./oidc-discovery";
export * from "./protected-resource-router";
export * from "./verified-token-cache";
