/**
 * compose.yaml as Compose reads it, for tests without a container engine: YAML with merge keys
 * (`<<: *anchor`), then variable interpolation (`${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `$$`) against a given environment, as the Compose Specification's interpolation section says.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../../runtime/core/repo-root";

export interface ComposeService {
  readonly image?: string;
  readonly build?: { context: string; dockerfile?: string; target?: string };
  readonly command?: string[];
  readonly environment?: Record<string, string>;
  readonly ports?: string[];
  readonly expose?: unknown;
  readonly network_mode?: string;
  readonly volumes?: string[];
  readonly depends_on?: Record<string, { condition: string }>;
  readonly healthcheck?: { test?: string[] | string; disable?: boolean };
  readonly restart?: string;
}

export interface ComposeFile {
  readonly services: Record<string, ComposeService>;
  readonly volumes?: Record<string, unknown>;
}

export const COMPOSE_FILE = path.join(repoRoot(), "compose.yaml");

export function composeText(): string {
  return fs.readFileSync(COMPOSE_FILE, "utf8");
}

/** The file's data with merge keys resolved, before interpolation. */
export function rawCompose(text = composeText()): Record<string, unknown> {
  return parse(text, { merge: true }) as Record<string, unknown>;
}

function interpolateString(s: string, env: Record<string, string | undefined>): string {
  return s.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, name?: string, op?: string, dflt?: string, bare?: string) => {
      if (all === "$$") return "$";
      const v = env[(name ?? bare)!];
      if (op === ":-") return v === undefined || v === "" ? dflt! : v;
      if (op === "-") return v === undefined ? dflt! : v;
      return v ?? "";
    },
  );
}

export function interpolate<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === "string") return interpolateString(value, env) as T;
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env)) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)])) as T;
  return value;
}

/** The file as Compose runs it with `env` (default: none of its variables set). */
export function loadCompose(env: Record<string, string | undefined> = {}): ComposeFile {
  return interpolate(rawCompose(), env) as unknown as ComposeFile;
}
