/**
 * RFC 9728 protected resource metadata for each MCP server: MCP clients (VS Code, Claude, MCP
 * Inspector) follow `resource_metadata` from a 401 here to find the authorization server(s) and
 * scopes. Browser-based clients read it cross-origin, so these routes (and only these) answer
 * CORS: any origin, GET only, never credentials; the document is public and carries no secret.
 */
import { Router, type Response } from "express";

export const PROTECTED_RESOURCE_PATH = "/.well-known/oauth-protected-resource/";

export interface ProtectedResourceOptions {
  readonly publicUrl: string;
  /** The authorization server(s): each identity provider's issuer. */
  readonly authorizationServers: () => Promise<string[]>;
  /** Scopes a client requests, e.g. `api://gatehouse/.default`. */
  readonly scopes: string[];
  readonly serverExists: (name: string) => boolean;
}

/** Whether a request is for the public metadata (the Origin check does not apply to it). */
export function isProtectedResourceMetadata(method: string, path: string): boolean {
  return (method === "GET" || method === "HEAD" || method === "OPTIONS") && path.startsWith(PROTECTED_RESOURCE_PATH);
}

function allowAnyOrigin(res: Response): void {
  res.setHeader("access-control-allow-origin", "*");
  res.setHeader("vary", "origin");
}

export function protectedResourceRouter(opts: ProtectedResourceOptions): Router {
  const router = Router();
  const path = `${PROTECTED_RESOURCE_PATH}mcp/:server`;
  // Preflight: a browser client sends MCP-Protocol-Version with its discovery GET.
  router.options(path, (_req, res) => {
    allowAnyOrigin(res);
    res.setHeader("access-control-allow-methods", "GET");
    res.setHeader("access-control-allow-headers", "mcp-protocol-version");
    res.setHeader("access-control-max-age", "600");
    res.status(204).end();
  });
  router.get(path, async (req, res, next) => {
    allowAnyOrigin(res);
    const server = req.params.server;
    if (!opts.serverExists(server)) return void res.status(404).json({ error: "unknown MCP server" });
    try {
      res.setHeader("cache-control", "public, max-age=300");
      res.json({
        resource: `${opts.publicUrl}/mcp/${encodeURIComponent(server)}`,
        authorization_servers: await opts.authorizationServers(),
        scopes_supported: opts.scopes,
        bearer_methods_supported: ["header"],
        resource_name: `Gatehouse MCP server ${server}`,
      });
    } catch (e) {
      next(e);
    }
  });
  return router;
}
