/**
 * What the gateway has seen of each server's tools (from tools/list results: description and MCP
 * annotations), so an approval request can carry what the approver needs to judge the call. The
 * catalog is per process and only a hint: the approval record keeps its own snapshot, taken when
 * the request is made; a tool never listed through this replica has no snapshot (shown as such).
 */
import type { ToolInfo } from "./approval-record";

const MAX_TOOLS = 5000;
const MAX_DESCRIPTION = 2000;
/** A larger input schema is not kept: the call can then not be edited (the record must stay small). */
const MAX_SCHEMA_CHARS = 8000;

const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);

export class ToolCatalog {
  private readonly tools = new Map<string, ToolInfo>();

  /** Records the tools of one tools/list result (items without a string name are ignored). */
  remember(server: string, items: readonly unknown[]): void {
    for (const item of items) {
      if (typeof item !== "object" || item === null) continue;
      const t = item as {
        name?: unknown;
        title?: unknown;
        description?: unknown;
        annotations?: Record<string, unknown>;
        inputSchema?: unknown;
      };
      if (typeof t.name !== "string") continue;
      const a = typeof t.annotations === "object" && t.annotations !== null ? t.annotations : {};
      if (this.tools.size >= MAX_TOOLS) this.tools.clear();
      this.tools.set(`${server}\u0000${t.name}`, {
        title: typeof t.title === "string" ? t.title : typeof a.title === "string" ? a.title : null,
        description: typeof t.description === "string" ? t.description.slice(0, MAX_DESCRIPTION) : "",
        destructive: bool(a.destructiveHint),
        readOnly: bool(a.readOnlyHint),
        idempotent: bool(a.idempotentHint),
        openWorld: bool(a.openWorldHint),
        inputSchema: schemaOf(t.inputSchema),
      });
    }
  }

  lookup(server: string, tool: string): ToolInfo | null {
    return this.tools.get(`${server}\u0000${tool}`) ?? null;
  }
}

/**
 * Irreversible: the tool says it is destructive (and not read-only). Idempotent does not help: a
 * delete done twice is idempotent and still cannot be undone. MCP defaults destructiveHint to true
 * for unannotated tools, but an unannotated tool is not called irreversible here: the page says
 * "no annotations seen" instead of guessing.
 */
export function isIrreversible(t: ToolInfo | null): boolean {
  return !!t && t.destructive === true && t.readOnly !== true;
}

/** The tool's input schema when it is a JSON object small enough to keep in an approval record. */
function schemaOf(v: unknown): Record<string, unknown> | null {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  return JSON.stringify(v).length <= MAX_SCHEMA_CHARS ? (v as Record<string, unknown>) : null;
}
