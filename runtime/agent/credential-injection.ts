import type { McpServerSpec } from "../core/policy-model/schema";
import type { CredentialProvider } from "./credential-provider";

/** Resolves a server's credentials into headers (http) and environment variables (stdio), as the bundle says. */
export async function resolveCredentials(
  spec: McpServerSpec,
  provider: CredentialProvider,
): Promise<{ headers: Record<string, string>; env: Record<string, string> }> {
  const headers: Record<string, string> = {};
  const env: Record<string, string> = {};
  for (const c of spec.credentials) {
    const value = await provider.get(c.secretName);
    if (c.inject.type === "header") headers[c.inject.name.toLowerCase()] = `${c.inject.prefix}${value}`;
    else env[c.inject.name] = value;
  }
  return { headers, env };
}
