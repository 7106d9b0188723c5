/**
 * Just enough of a Dockerfile and .dockerignore reader to test the image's invariants without an
 * engine (none runs in CI's test job or here): instructions grouped by stage, and the Docker
 * exclusion rule (patterns are relative to the context root, `**` spans directories, a matched
 * directory excludes everything under it; Go filepath.Match otherwise).
 */
export interface Instruction {
  readonly op: string;
  readonly args: string;
}

export interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: Instruction[];
}

export function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const joined = text.replace(/\\\r?\n/g, " ");
  const lines = joined
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, rest] = /^(\S+)\s*(.*)$/.exec(line)!;
    const ins = {
      op: op.toUpperCase(),
      args: rest
        .replace(/\s+#.*$/, "")
        .replace(/\s+/g, " ")
        .trim(),
    };
    if (ins.op === "FROM") {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args)!;
      stages.push({ from: m[1], name: m[2] ?? null, instructions: [] });
    } else if (stages.length === 0) args.push(ins);
    else stages[stages.length - 1].instructions.push(ins);
  }
  return { args, stages };
}

function patternToRegExp(pattern: string): RegExp {
  let re = "";
  const p = pattern.replace(/^\/+/, "").replace(/\/+$/, "");
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "*" && p[i + 1] === "*") {
      // `**/` matches zero or more directories; a trailing `**` anything.
      if (p[i + 2] === "/") {
        re += "(?:.*/)?";
        i += 2;
      } else {
        re += ".*";
        i += 1;
      }
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Whether `.dockerignore` content excludes `file` (a path relative to the context root). */
export function isExcluded(dockerignore: string, file: string): boolean {
  const patterns = dockerignore
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  if (patterns.some((p) => p.startsWith("!")))
    throw new Error("exception patterns are not modelled here: keep the ignore files exclusion-only");
  const parts = file.split("/");
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  return patterns.some((p) => {
    const re = patternToRegExp(p);
    return prefixes.some((prefix) => re.test(prefix));
  });
}
