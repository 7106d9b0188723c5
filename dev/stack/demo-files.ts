/**
 * The folder the demo `files` server (the MCP filesystem server over stdio) may read. A few small
 * files, one of which carries personal data so masking shows on this server too. Existing files
 * are left alone: a developer may have added their own.
 */
import fs from "node:fs";
import path from "node:path";

const FILES: Record<string, string> = {
  "README.md": "# Demo files\n\nThe local stack's `files` MCP server serves this folder (read through the gateway).\n",
  "runbook.md":
    "# On-call runbook\n\n1. Check the gateway's /readyz.\n2. Run `npx gatehouse audit verify`.\n3. Escalate to the platform team.\n",
  "support/escalations.txt":
    "2026-11-02 ticket 4412: customer ada.lovelace@example.com disputes a charge on card 4111 1111 1111 1111\n" +
    "2026-11-05 ticket 4420: identity check for SSN 457-55-5462 failed twice\n",
};

export function ensureDemoFiles(dir: string): string {
  for (const [name, text] of Object.entries(FILES)) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}
