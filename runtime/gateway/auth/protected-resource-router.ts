/**
 * RFC 9728 protected resource metadata for each MCP server: MCP clients (VS Code, Claude, MCP
 * Inspector) follow `resource_metadata` from a 401 here to find the Entra authority and scope.
 */
import { Router } from "express";

export interface ProtectedResourceOptions {
  readonly publicUrl: string;
  /** The authorization server(s): the Entra issuer (https://login.microsoftonline.com/<tenant>/v2.0). */
  readonly authorizationServers: () => Promise<string[]>;
  /** Scopes a client requests, e.g. `api://gatehouse/.default`. */
  readonly scopes: string[];
  readonly serverExists: (name: string) => boolean;
}

export function protectedResourceRouter(opts: ProtectedResourceOptions): Router {
  const router = Router();
  router.get("/.well-known/oauth-protected-resource/mcp/:server", async (req, res, next) => {
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
