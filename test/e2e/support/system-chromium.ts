/**
 * Debian's Chromium, driven by playwright-core, in a fresh profile. Never a downloaded browser:
 * .ci/run installs the system one, and a machine without it gets a message saying how.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execSync } from "node:child_process";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export interface SystemChromium {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export function systemChromiumPath(): string {
  try {
    return execSync("command -v chromium", { shell: "/bin/sh" }).toString().trim();
  } catch {
    throw new Error(
      "this test drives Debian's Chromium: install it with `apt-get install chromium` (see README, Tests)",
    );
  }
}

export async function launchSystemChromium(): Promise<SystemChromium> {
  const executablePath = systemChromiumPath();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "gh-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
