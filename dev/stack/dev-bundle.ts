/**
 * The declared policy bundle (policies/, the same one `gatehouse policy build` writes) pointed at
 * this stack's endpoints. The declared policies read the demo servers' locations from
 * GATEHOUSE_DEMO_* variables at build time (policies/org/demo-settings.ts); with the default
 * ports and folder the bundle is byte-identical to `gatehouse policy build`'s.
 */
import path from "node:path";
import { buildDeclaredBundle } from "../../policies";
import type { PolicyBundle } from "../../runtime/core/policy-model/schema";
import { repoRoot } from "../../runtime/core/repo-root";

export function devBundle(ctx: { customersUrl: string | null; demoFilesDir: string }): PolicyBundle {
  const root = repoRoot();
  // Relative to the agent's working directory (the repository root) when inside it, so the
  // default bundle does not depend on where the repository was cloned.
  const rel = path.relative(root, ctx.demoFilesDir);
  process.env.GATEHOUSE_DEMO_FILES_DIR =
    rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : ctx.demoFilesDir;
  if (ctx.customersUrl) process.env.GATEHOUSE_DEMO_CUSTOMERS_URL = ctx.customersUrl;
  return buildDeclaredBundle({ cwd: root });
}
