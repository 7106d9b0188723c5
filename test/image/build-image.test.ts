/**
 * scripts/build-image.js (npm run image) against a stand-in engine: a shell script named podman
 * that records its arguments. No image is built here (that takes minutes and a real engine).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { repoRoot } from "../../runtime/core/repo-root";

const script = path.join(repoRoot(), "scripts", "build-image.js");
const DIGEST = `sha256:${"ab".repeat(32)}`;
let bin: string;
let log: string;

/** A fake engine: `pull` succeeds when REGISTRY=up, `image inspect` prints DIGEST, `build` succeeds. */
function fakeEngine(name: string): void {
  fs.writeFileSync(
    path.join(bin, name),
    `#!/bin/sh\necho "$*" >> "${log}"\ncase "$1" in\n  pull) [ "$REGISTRY" = up ] || exit 1 ;;\n  image) echo "${DIGEST}" ;;\nesac\nexit 0\n`,
    { mode: 0o755 },
  );
}

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  fs.writeFileSync(log, "");
  const r = spawnSync(process.execPath, [script, ...args], { env: { PATH: bin, ...env }, encoding: "utf8" });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    calls: fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean),
  };
}

beforeEach(() => {
  bin = fs.mkdtempSync(path.join(os.tmpdir(), "gh-build-image-"));
  log = path.join(bin, "calls.log");
});
afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));

describe("npm run image (scripts/build-image.js)", () => {
  test("no engine installed: exits 64 and points at az acr build", () => {
    const r = run([]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("az acr build");
  });

  test("with a registry: the base tag is resolved and the build runs on <name>@<digest>, recorded in labels", () => {
    fakeEngine("podman");
    const r = run(["--tag", "gatehouse-runtime:test", "--", "--network", "host"], { REGISTRY: "up" });
    expect(r.code).toBe(0);
    const build = r.calls.find((c) => c.startsWith("build "))!;
    expect(build).toContain("-f runtime/Dockerfile");
    expect(build).toContain(`--build-arg NODE_IMAGE=node:20-bookworm-slim@${DIGEST}`);
    expect(build).toContain(`--label org.opencontainers.image.base.digest=${DIGEST}`);
    expect(build).toContain("-t gatehouse-runtime:test --network host");
    expect(build.endsWith(" .")).toBe(true);
  });

  test("no registry: warns and builds on the local tag; --require-pinned refuses instead", () => {
    fakeEngine("podman");
    const loose = run([]);
    expect(loose.code).toBe(0);
    expect(loose.stderr).toContain("WARNING");
    expect(loose.calls.find((c) => c.startsWith("build "))).toContain("--build-arg NODE_IMAGE=node:20-bookworm-slim ");
    const strict = run(["--require-pinned"]);
    expect(strict.code).toBe(64);
    expect(strict.calls.some((c) => c.startsWith("build "))).toBe(false);
  });

  test("a base given by digest (CI: GATEHOUSE_NODE_IMAGE) is used as is, without a pull", () => {
    fakeEngine("buildah");
    const r = run([], { GATEHOUSE_NODE_IMAGE: `registry.example.com/node@${DIGEST}` });
    expect(r.code).toBe(0);
    expect(r.calls.some((c) => c.startsWith("pull "))).toBe(false);
    expect(r.calls.find((c) => c.startsWith("bud "))).toContain(`NODE_IMAGE=registry.example.com/node@${DIGEST}`);
  });
});
