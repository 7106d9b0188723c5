#!/usr/bin/env node
// Builds the runtime image (runtime/Dockerfile, context = repository root) with whichever engine
// is installed: docker, podman or buildah (in that order; GATEHOUSE_IMAGE_ENGINE chooses).
//
//   npm run image -- [--tag <name:tag>] [--base <image ref>] [--require-pinned] [--dry-run] [-- <engine build options>]
//
// Options after a second `--` go to the engine's build command as they are (e.g. podman on a
// machine without a registry: `-- --network host --format docker`).
// The base image is pinned by digest: a base given as <name>@sha256:<digest> (--base, or
// GATEHOUSE_NODE_IMAGE in CI) is used as is; a tag is resolved to its registry digest with the
// engine (pull, then inspect) and the build runs on <name>@sha256:<digest>. When no registry is
// reachable (an air-gapped machine building on an imported stand-in base) the tag is used and a
// warning says so; --require-pinned (CI) makes that an error instead. The base's name and digest
// are recorded in the image as org.opencontainers.image.base.name / .base.digest labels.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const DOCKERFILE = path.join("runtime", "Dockerfile");
const ENGINES = ["docker", "podman", "buildah"];

function usage(message) {
  process.stderr.write(
    `build-image: ${message}\nusage: npm run image -- [--tag <name:tag>] [--base <image ref>] [--require-pinned] [--dry-run] [-- <engine build options>]\n`,
  );
  process.exit(64);
}

function parseArgs(argv) {
  const opts = {
    tag: "gatehouse-runtime:dev",
    base: process.env.GATEHOUSE_NODE_IMAGE || null,
    requirePinned: false,
    dryRun: false,
    engineArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      opts.engineArgs = argv.slice(i + 1);
      break;
    }
    const value = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === "--tag") opts.tag = value();
    else if (a === "--base") opts.base = value();
    else if (a === "--require-pinned") opts.requirePinned = true;
    else if (a === "--dry-run") opts.dryRun = true;
    else usage(`unknown argument ${a}`);
  }
  return opts;
}

function onPath(cmd) {
  for (const dir of (process.env.PATH || "").split(path.delimiter).filter(Boolean)) {
    try {
      fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function chooseEngine() {
  const wanted = process.env.GATEHOUSE_IMAGE_ENGINE;
  if (wanted) {
    if (!ENGINES.includes(wanted)) usage(`GATEHOUSE_IMAGE_ENGINE must be one of ${ENGINES.join(", ")}`);
    if (!onPath(wanted)) usage(`GATEHOUSE_IMAGE_ENGINE=${wanted} but ${wanted} is not on PATH`);
    return wanted;
  }
  const found = ENGINES.find(onPath);
  if (!found)
    usage(
      `none of ${ENGINES.join(", ")} is installed; install one, or build in the cloud: az acr build -f runtime/Dockerfile . (docs/gateway.md)`,
    );
  return found;
}

/** The default base: the ARG NODE_IMAGE default of the Dockerfile. */
function dockerfileBase() {
  const m = /^ARG NODE_IMAGE=(\S+)$/m.exec(fs.readFileSync(path.join(root, DOCKERFILE), "utf8"));
  if (!m) usage(`${DOCKERFILE} has no ARG NODE_IMAGE default`);
  return m[1];
}

function run(engine, args, capture) {
  const r = spawnSync(engine, args, {
    cwd: root,
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    encoding: "utf8",
  });
  return { ok: r.status === 0, out: (r.stdout || "").trim(), err: (r.stderr || "").trim() };
}

/** <name>@sha256:<digest> for a tag, or null when the registry cannot be reached. */
function resolveDigest(engine, ref) {
  const puller = ["pull", "-q", ref];
  if (!run(engine, puller, true).ok) return null;
  const inspect =
    engine === "docker"
      ? ["image", "inspect", "--format", "{{index .RepoDigests 0}}", ref]
      : engine === "podman"
        ? ["image", "inspect", "--format", "{{.Digest}}", ref]
        : ["inspect", "--format", "{{.FromImageDigest}}", ref];
  const r = run(engine, inspect, true);
  if (!r.ok || !r.out) return null;
  const digest = r.out.includes("@") ? r.out.split("@")[1] : r.out;
  return /^sha256:[0-9a-f]{64}$/.test(digest) ? `${ref.replace(/@.*$/, "")}@${digest}` : null;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const engine = chooseEngine();
  const requested = opts.base || dockerfileBase();
  let base = requested;
  if (!/@sha256:[0-9a-f]{64}$/.test(requested) && !opts.dryRun) {
    const pinned = resolveDigest(engine, requested);
    if (pinned) base = pinned;
    else if (opts.requirePinned)
      usage(`cannot resolve ${requested} to a digest (registry unreachable?) and --require-pinned is set`);
    else
      process.stderr.write(
        `build-image: WARNING: ${requested} could not be resolved to a digest (no registry reachable?); building on the tag as it exists locally. Release builds pin the base: --require-pinned.\n`,
      );
  }
  const digest = base.includes("@") ? base.split("@")[1] : "unpinned";
  const buildCmd = engine === "buildah" ? "bud" : "build";
  const args = [
    buildCmd,
    "-f",
    DOCKERFILE,
    "--build-arg",
    `NODE_IMAGE=${base}`,
    "--label",
    `org.opencontainers.image.base.name=${requested.replace(/@.*$/, "")}`,
    "--label",
    `org.opencontainers.image.base.digest=${digest}`,
    "-t",
    opts.tag,
    ...opts.engineArgs,
    ".",
  ];
  process.stdout.write(`build-image: ${engine} ${args.join(" ")}\n`);
  if (opts.dryRun) return;
  const r = run(engine, args, false);
  if (!r.ok) process.exit(1);
  process.stdout.write(`build-image: built ${opts.tag} on ${base}\n`);
}

main();
