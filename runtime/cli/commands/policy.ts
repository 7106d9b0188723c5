/**
 * `gatehouse policy build|diff|explain`: compile the declared policies to the bundle, report
 * what a change does for the pull request, and explain one decision. Bundles are built from the
 * TypeScript sources of the repository (the git repository of the working directory when it has
 * the policies module, else the Gatehouse installation). Exit codes: 0 ok; 1 validation failed or
 * (with --fail-on-widen) the change lowers protection without the label; 2 usage or input error.
 */
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { diffBundles } from "../../core/policy/bundle-diff";
import { renderDiffMarkdown } from "../../core/policy/bundle-diff-report";
import { explainDecision, renderExplanation } from "../../core/policy/explain-decision";
import { repoRoot } from "../../core/repo-root";
import { CliError } from "../cli-error";
import { exportCommit, resolveRef } from "../policy/git-tree";
import { DEFAULT_POLICIES_MODULE } from "../policy/load-policies-module";
import { buildFromTree, bundleFromFile, treeRoot, workingTreeCommit } from "../policy/policy-sources";

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

function writeOut(text: string, out: string | undefined): void {
  if (out) fs.writeFileSync(path.resolve(out), text);
  else process.stdout.write(text);
}

export function register(program: Command): void {
  const policy = program.command("policy").description("build, review (diff) and explain the policy bundle");

  policy
    .command("build")
    .description("compile the declared policies to the versioned bundle JSON (stdout, or --out)")
    .option("--out <file>", "write the bundle to this file instead of stdout")
    .option(
      "--policies-module <path>",
      "policies module exporting buildDeclaredBundle(), relative to the repository",
      DEFAULT_POLICIES_MODULE,
    )
    .action((opts: { out?: string; policiesModule: string }) => {
      const root = treeRoot(opts.policiesModule);
      const bundle = buildFromTree(root, opts.policiesModule, workingTreeCommit(root), "the working tree");
      writeOut(`${JSON.stringify(bundle, null, 2)}\n`, opts.out);
      if (opts.out && process.stderr.isTTY) process.stderr.write(`wrote ${opts.out} (version ${bundle.version})\n`);
    });

  policy
    .command("diff")
    .description("Markdown report of what the working tree's policies change against a git ref, grouped by risk")
    .requiredOption("--base <git-ref>", "the ref to compare with (e.g. origin/main)")
    .option("--fail-on-widen", "exit 1 when the change widens access or lowers protection (CI)")
    .option("--label-present", "the pull request carries the approval label: do not fail on widening")
    .option(
      "--policies-module <path>",
      "policies module exporting buildDeclaredBundle(), relative to the repository",
      DEFAULT_POLICIES_MODULE,
    )
    .option("--json", "print the changes as JSON instead of Markdown")
    .option("--out <file>", "write the report to this file instead of stdout")
    .action(
      (opts: {
        base: string;
        failOnWiden?: boolean;
        labelPresent?: boolean;
        policiesModule: string;
        json?: boolean;
        out?: string;
      }) => {
        const root = treeRoot(opts.policiesModule);
        const sha = resolveRef(root, opts.base);
        const modules = fs.existsSync(path.join(root, "node_modules"))
          ? path.join(root, "node_modules")
          : path.join(repoRoot(), "node_modules");
        const checkout = exportCommit(root, sha, modules);
        let base;
        try {
          base = buildFromTree(checkout.dir, opts.policiesModule, sha, `${opts.base} (${sha.slice(0, 12)})`);
        } finally {
          checkout.cleanup();
        }
        const head = buildFromTree(root, opts.policiesModule, workingTreeCommit(root), "the working tree");
        const diff = diffBundles(base, head);
        const report = opts.json
          ? `${JSON.stringify({ base: { ref: opts.base, commit: sha, version: base.version }, head: { commit: head.commit, version: head.version }, ...diff }, null, 2)}\n`
          : renderDiffMarkdown(
              diff,
              { label: `\`${opts.base}\``, bundle: base },
              { label: "working tree", bundle: head },
            );
        writeOut(report, opts.out);
        if (opts.failOnWiden && diff.widened && !opts.labelPresent) {
          process.stderr.write(
            "gatehouse: the policy change widens access or lowers protection; a reviewer must approve it with the label (CI passes --label-present)\n",
          );
          process.exitCode = 1;
        }
      },
    );

  policy
    .command("explain")
    .description("the decision (allow, deny, approval, block) for one call and the rule that made it")
    .option("--roles <r,...>", "app roles of the caller", "")
    .option("--groups <g,...>", "group object ids of the caller", "")
    .requiredOption("--server <s>", "the MCP server")
    .requiredOption("--tool <t>", "the tool")
    .option("--args <json>", "the call's arguments as a JSON object", "{}")
    .option("--jit-rule <id>", "explain as a just-in-time session granted by this access rule")
    .option("--policy <bundle.json>", "explain against this bundle file instead of the declared policies")
    .option(
      "--policies-module <path>",
      "policies module exporting buildDeclaredBundle(), relative to the repository",
      DEFAULT_POLICIES_MODULE,
    )
    .option("--json", "print the explanation as JSON")
    .action(
      (opts: {
        roles: string;
        groups: string;
        server: string;
        tool: string;
        args: string;
        jitRule?: string;
        policy?: string;
        policiesModule: string;
        json?: boolean;
      }) => {
        let args: unknown;
        try {
          args = JSON.parse(opts.args);
        } catch {
          throw new CliError(`--args is not JSON: pass an object such as '{"ids":["c-1001"]}'`, 2);
        }
        if (typeof args !== "object" || args === null || Array.isArray(args))
          throw new CliError("--args must be a JSON object (the tool's arguments)", 2);
        const root = opts.policy ? null : treeRoot(opts.policiesModule);
        const bundle = opts.policy
          ? bundleFromFile(opts.policy)
          : buildFromTree(root as string, opts.policiesModule, workingTreeCommit(root as string), "the working tree");
        const explanation = explainDecision(bundle, {
          roles: list(opts.roles),
          groups: list(opts.groups),
          server: opts.server,
          tool: opts.tool,
          args,
          jitRule: opts.jitRule,
        });
        process.stdout.write(opts.json ? `${JSON.stringify(explanation, null, 2)}\n` : renderExplanation(explanation));
      },
    );
}
