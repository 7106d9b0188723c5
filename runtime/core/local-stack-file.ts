/**
 * `.gatehouse/local-stack.json`: what the running local stack (`npm run dev`) wrote about itself,
 * so the CLI (`gatehouse token`, `audit verify`, `evidence ...`) finds its endpoints without flags.
 *
 * The folder is `$GATEHOUSE_HOME` when set (tests use a temporary one), else `<repo>/.gatehouse`
 * (git-ignored). Nothing secret is recorded except Azurite's well-known development key, which is
 * public.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { repoRoot } from "./repo-root";

export const LocalStackSchema = z.object({
  schemaVersion: z.literal(1),
  /** The `npm run dev` process. */
  pid: z.number().int().positive(),
  startedAt: z.string(),
  home: z.string(),
  gatewayUrl: z.string().url(),
  agentUrl: z.string().url(),
  issuerUrl: z.string().url(),
  approvalsUrl: z.string().url(),
  /** The demo customers server itself (direct, bypassing the gateway), when it runs. */
  customersUrl: z.string().url().nullable(),
  /** MCP endpoints by server name, through the gateway. */
  mcpUrls: z.record(z.string(), z.string().url()),
  storageConnectionString: z.string().min(1),
  blobEndpoint: z.string().url(),
  tableEndpoint: z.string().url(),
  /** The gateway's signing key (public part): verifies audit checkpoints and JIT tokens. */
  signingPublicJwk: z.record(z.string(), z.unknown()),
  policyBundleFile: z.string(),
  policyVersion: z.string(),
  demoFilesDir: z.string(),
});
export type LocalStack = z.infer<typeof LocalStackSchema>;

/** The local stack's state folder. */
export function gatehouseHome(): string {
  const env = process.env.GATEHOUSE_HOME;
  return env && env.trim() ? path.resolve(env) : path.join(repoRoot(), ".gatehouse");
}

export function localStackFile(home: string = gatehouseHome()): string {
  return path.join(home, "local-stack.json");
}

/** The recorded stack, or null when none was recorded (or the file is not one of ours). */
export function readLocalStack(home: string = gatehouseHome()): LocalStack | null {
  let raw: string;
  try {
    raw = fs.readFileSync(localStackFile(home), "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = LocalStackSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeLocalStack(stack: LocalStack, home: string = gatehouseHome()): void {
  fs.mkdirSync(home, { recursive: true });
  const file = localStackFile(home);
  // Write then rename: a reader never sees half a file.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(LocalStackSchema.parse(stack), null, 2) + "\n");
  fs.renameSync(`${file}.tmp`, file);
}

export function removeLocalStack(home: string = gatehouseHome()): void {
  fs.rmSync(localStackFile(home), { force: true });
}
