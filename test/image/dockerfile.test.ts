/**
 * The image's invariants, checked on runtime/Dockerfile, the ignore files and the image's
 * TypeScript project without a container engine: Node major = CI's, base image selectable and
 * pinned by the build script, no install scripts, no dev dependencies or non-runtime code in the
 * final image, a non-root user, an entrypoint that requires a role, and build contexts that never
 * carry local keys, state or Terraform state (what `az acr build` would upload).
 */
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { repoRoot } from "../../runtime/core/repo-root";
import { ROLES } from "../../runtime/entrypoint";
import { isExcluded, parseDockerfile, type Stage } from "./dockerfile-model";

const root = repoRoot();
const read = (p: string) => fs.readFileSync(path.join(root, p), "utf8");
const dockerfile = parseDockerfile(read("runtime/Dockerfile"));
const finalStage = dockerfile.stages[dockerfile.stages.length - 1];
const stageNamed = (name: string): Stage => dockerfile.stages.find((s) => s.name === name)!;

describe("runtime/Dockerfile", () => {
  test("every stage is FROM ${NODE_IMAGE}, whose default is the Node major CI tests and package.json allows", () => {
    expect(dockerfile.stages.map((s) => s.from)).toEqual(dockerfile.stages.map(() => "${NODE_IMAGE}"));
    const arg = dockerfile.args.find((a) => a.op === "ARG" && a.args.startsWith("NODE_IMAGE="))!;
    const image = arg.args.slice("NODE_IMAGE=".length);
    const major = /^node:(\d+)[-.]/.exec(image)?.[1];
    const ciMajor = /node-version:\s*(\d+)/.exec(read(".github/workflows/pr.yml"))?.[1];
    expect(major).toBeDefined();
    expect(major).toBe(ciMajor);
    const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
    expect(engines).toMatch(new RegExp(`^>=${major}\\.`));
  });

  test("every npm ci runs with --ignore-scripts; the dependencies the final image gets are --omit=dev", () => {
    const npmCi = dockerfile.stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.op === "RUN" && /npm ci\b/.test(i.args));
    expect(npmCi.length).toBeGreaterThan(0);
    for (const i of npmCi) expect(i.args).toContain("--ignore-scripts");
    const modulesFrom = finalStage.instructions
      .filter((i) => i.op === "COPY" && /node_modules/.test(i.args))
      .map((i) => /--from=(\S+)/.exec(i.args)?.[1]);
    expect(modulesFrom).toHaveLength(1);
    const deps = stageNamed(modulesFrom[0]!);
    expect(
      deps.instructions
        .filter((i) => i.op === "RUN" && /npm ci\b/.test(i.args))
        .every((i) => i.args.includes("--omit=dev")),
    ).toBe(true);
    expect(finalStage.instructions.some((i) => i.op === "RUN" && /npm (ci|install)\b/.test(i.args))).toBe(false);
  });

  test("only runtime code is copied: no stage copies the whole context, stacks, dev, tests or source maps", () => {
    for (const stage of dockerfile.stages) {
      for (const i of stage.instructions.filter((x) => x.op === "COPY" || x.op === "ADD")) {
        expect(i.args).not.toMatch(/^(--\S+\s+)*\.\s/);
        expect(i.args).not.toMatch(/\b(stacks|dev|test|bench|cdktf\.out|\.gatehouse)\b/);
      }
    }
    expect(finalStage.instructions.filter((i) => i.op === "COPY").map((i) => i.args)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^--from=build \/src\/dist-image \.\/dist$/)]),
    );
  });

  test("the process runs as the non-root user node, set after the last file-changing instruction", () => {
    const ops = finalStage.instructions.map((i) => i.op);
    const user = finalStage.instructions.filter((i) => i.op === "USER").map((i) => i.args);
    expect(user).toEqual(["node"]);
    const lastChange = Math.max(ops.lastIndexOf("RUN"), ops.lastIndexOf("COPY"), ops.lastIndexOf("ADD"));
    expect(ops.indexOf("USER")).toBeGreaterThan(lastChange);
  });

  test("the entrypoint is the role dispatcher under tini, with no default role (no CMD)", () => {
    const entry = finalStage.instructions.filter((i) => i.op === "ENTRYPOINT");
    expect(entry).toHaveLength(1);
    expect(JSON.parse(entry[0].args)).toEqual(["/usr/bin/tini", "--", "node", "/app/dist/runtime/entrypoint.js"]);
    expect(finalStage.instructions.some((i) => i.op === "CMD")).toBe(false);
    expect([...ROLES]).toEqual(["gateway", "agent"]);
  });
});

describe("build contexts (.dockerignore: az acr build reads only the root one; BuildKit and buildah runtime/Dockerfile.dockerignore)", () => {
  const rootIgnore = read(".dockerignore");

  test("the two ignore files are identical", () => {
    expect(read("runtime/Dockerfile.dockerignore")).toBe(rootIgnore);
  });

  test.each([
    ".gatehouse/signing-key.json",
    ".gatehouse/session-key",
    ".gatehouse/azurite/__blobstorage__/x",
    "terraform.gatehouse.tfstate",
    "terraform.gatehouse.tfstate.backup",
    "cdktf.out/stacks/gatehouse/terraform.gatehouse.tfstate",
    "cdktf.out/stacks/gatehouse/cdk.tf.json",
    ".terraform/providers/x",
    "stacks/.terraform/terraform.tfstate",
    "plan.tfplan",
    ".env",
    "runtime/.env.local",
    "keys/gateway.pem",
    "signing-key.json",
    "node_modules/jose/package.json",
    "dist/runtime/gateway/server.js",
    ".git/config",
    "test/unit/agent/agent-app.test.ts",
  ])("excludes %s", (file) => {
    expect(isExcluded(rootIgnore, file)).toBe(true);
  });

  test.each([
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "tsconfig.image.json",
    "runtime/entrypoint.ts",
    "runtime/gateway/server.ts",
    "runtime/core/policy-model/schema.ts",
  ])("keeps %s (the build needs it)", (file) => {
    expect(isExcluded(rootIgnore, file)).toBe(false);
  });

  test("every .gitignore entry is excluded from the context too", () => {
    for (const entry of read(".gitignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"))) {
      const sample = entry.replace(/^\//, "").replace(/\/$/, "/x").replace(/\*/g, "sample");
      expect([entry, isExcluded(rootIgnore, sample)]).toEqual([entry, true]);
    }
  });
});

describe("tsconfig.image.json: the image ships only what runs", () => {
  test("compiles the entrypoint and both servers, no source maps, and pulls in no stacks, dev, policies, CLI, test or bench file", () => {
    const config = JSON.parse(read("tsconfig.image.json")) as {
      compilerOptions: { sourceMap: boolean };
      files: string[];
    };
    expect(config.compilerOptions.sourceMap).toBe(false);
    expect(config.files.sort()).toEqual([
      "runtime/agent/server.ts",
      "runtime/entrypoint.ts",
      "runtime/gateway/server.ts",
    ]);
    const tsc = require.resolve("typescript/bin/tsc");
    const files = execFileSync(process.execPath, [tsc, "-p", "tsconfig.image.json", "--listFilesOnly"], {
      cwd: root,
      encoding: "utf8",
    })
      .split("\n")
      .map((f) => path.relative(root, f.trim()))
      .filter((f) => f && !f.startsWith("node_modules") && !f.startsWith(".."));
    expect(files).toContain("runtime/entrypoint.ts");
    // policies/ too: the build stage does not copy it (what the runtime shares with it is runtime/core/policy-model/).
    expect(files.filter((f) => /^(stacks|dev|test|bench|policies|runtime\/cli)\//.test(f) || f === "main.ts")).toEqual(
      [],
    );
  }, 120_000);
});
