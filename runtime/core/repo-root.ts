import fs from "node:fs";
import path from "node:path";

/** The repository root, found from source (ts-jest) and from dist/ alike. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).name === "gatehouse") return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`not inside the gatehouse repository: ${from}`);
    dir = up;
  }
}
