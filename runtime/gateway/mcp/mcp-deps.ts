import type { GatewayDeps } from "../gateway-deps";
import type { AgentClient } from "./agent-client";

/** The MCP routes' view of the gateway: the injected deps plus the agent client built from them. */
export type McpDeps = GatewayDeps & { readonly agentClient: AgentClient };
