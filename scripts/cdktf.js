#!/usr/bin/env node
// Runs the cdktf CLI with the environment this repository needs on every machine:
// - CHECKPOINT_DISABLE=1: the CLI otherwise calls a HashiCorp checkpoint host (slow offline).
// - TF_CLI_CONFIG_FILE: an empty config file, so terraform does not warn about a missing one
//   (cdktf prints that warning as an [ERROR], which hides real errors).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const emptyConfig = path.join(os.tmpdir(), "gatehouse-empty.tfrc");
if (!fs.existsSync(emptyConfig)) fs.writeFileSync(emptyConfig, "");

const env = { ...process.env, CHECKPOINT_DISABLE: "1" };
if (!env.TF_CLI_CONFIG_FILE || !fs.existsSync(env.TF_CLI_CONFIG_FILE)) env.TF_CLI_CONFIG_FILE = emptyConfig;
// Deploying with placeholder configuration would create a broken gateway: main.ts refuses it.
if (["deploy", "apply", "diff", "plan"].includes(process.argv[2])) env.GATEHOUSE_REQUIRE_CONFIG = "1";

const cli = require.resolve("cdktf-cli/bundle/bin/cdktf");
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(result.status ?? 1);
