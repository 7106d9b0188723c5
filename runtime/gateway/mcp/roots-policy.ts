/**
 * MCP roots are policy: a client's roots tell a server (the filesystem server, for one) where it
 * may read and write, so a client answering roots/list with `file:///` widened the server to the
 * agent host's whole disk (issue 12, item 2). A client may expose only the roots the server's
 * policy declares (`roots` in the bundle), or below them; without declared roots the client's
 * `roots` capability is removed at initialize, so the server does not ask.
 */
import path from "node:path";
import type { McpServerSpec } from "../../core/policy-model/schema";

/** initialize params with the client's roots capability removed unless the policy declares roots. */
export function stripRootsCapability(
  params: Record<string, unknown> | undefined,
  spec: McpServerSpec | undefined,
): Record<string, unknown> | undefined {
  if (!params || (spec?.roots?.length ?? 0) > 0) return params;
  const caps = params.capabilities;
  if (!caps || typeof caps !== "object" || Array.isArray(caps) || !("roots" in caps)) return params;
  const { roots: _dropped, ...rest } = caps as Record<string, unknown>;
  return { ...params, capabilities: rest };
}

/** A roots/list result keeping only roots inside a declared root; `dropped` counts the others. */
export function confineRoots(
  result: Record<string, unknown>,
  declared: readonly string[],
): { result: Record<string, unknown>; dropped: number } {
  const roots = Array.isArray(result.roots) ? result.roots : [];
  const kept = roots.filter(
    (r) =>
      typeof r === "object" &&
      r !== null &&
      typeof (r as { uri?: unknown }).uri === "string" &&
      declared.some((d) => isWithin((r as { uri: string }).uri, d)),
  );
  return { result: { ...result, roots: kept }, dropped: roots.length - kept.length };
}

/** Whether `uri` names `base` or something below it (same scheme and host; `..` and %-escapes resolved first). */
export function isWithin(uri: string, base: string): boolean {
  const a = normalized(uri);
  const b = normalized(base);
  if (!a || !b || a.origin !== b.origin) return false;
  const root = b.path === "/" ? "/" : b.path.replace(/\/+$/, "");
  return a.path === root || a.path.startsWith(root === "/" ? "/" : `${root}/`);
}

function normalized(uri: string): { origin: string; path: string } | null {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return null;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  // A backslash or NUL means different paths to different readers: never inside anything.
  if (decoded.includes("\\") || decoded.includes("\0") || u.search !== "" || u.hash !== "") return null;
  return { origin: `${u.protocol}//${u.host}`, path: path.posix.normalize(decoded) };
}
