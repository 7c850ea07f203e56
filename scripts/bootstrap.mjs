#!/usr/bin/env node
/**
 * Runs before `npm start`, `npm test` and `npm run bench`: makes a fresh clone ready without any
 * manual step. Installs the locked dependencies when node_modules is missing or older than
 * package-lock.json, and explains a missing prerequisite in one line instead of a stack trace.
 * Plain JavaScript with no dependencies, because it runs before anything is installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const fail = (message) => {
  process.stderr.write(`tensornode: ${message}\n`);
  process.exit(1);
};

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js 20.19 or newer is required; this is ${process.version}.`);

const java = spawnSync("java", ["-version"], { encoding: "utf8" });
if (java.error || java.status !== 0) {
  fail("Java 17+ is required (DynamoDB Local runs on it) but 'java' was not found. Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless");
}

const lock = join(root, "package-lock.json");
const installed = join(root, "node_modules", ".package-lock.json");
const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  process.stderr.write("tensornode: installing dependencies (first run, or package-lock.json changed)...\n");
  const command = existsSync(join(root, "node_modules")) ? "install" : "ci";
  const result = spawnSync("npm", [command, "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) fail(`'npm ${command}' failed (exit ${result.status}); see the output above.`);
}
