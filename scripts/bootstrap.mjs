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

// Debian packages the miner's speech, translation and voice engines run (see packages/miner/README.md).
// Checked with one cheap `command -v`-style lookup; installed only as root (or with passwordless sudo).
// A failure never stops the run: those engines just stay off and say why.
ensureMinerPackages();
// `npm test` only: the dashboard's browser test drives Debian's Chromium (test/e2e/dashboard.test.ts).
if (process.argv.includes("--tests")) ensureBrowser();

function ensureMinerPackages() {
  if (process.platform !== "linux" || process.env.TENSORNODE_SKIP_APT === "1") return;
  const needs = [
    { binary: "pocketsphinx_continuous", engine: "stt", packages: ["pocketsphinx"] },
    { path: "/usr/share/pocketsphinx/model/en-us/en-us", engine: "stt", packages: ["pocketsphinx-en-us"] },
    { binary: "sox", engine: "stt", packages: ["sox"] },
    { binary: "apertium", engine: "translation", packages: ["apertium"] },
    { path: "/usr/share/apertium/modes/eng-spa.mode", engine: "translation", packages: ["apertium-eng-spa"] },
    { binary: "flite", engine: "tts", packages: ["flite"] },
  ];
  const missing = needs.filter((n) => (n.binary ? !onPath(n.binary) : !existsSync(n.path)));
  if (missing.length === 0) return;
  const engines = [...new Set(missing.map((n) => n.engine))].join(", ");
  aptInstall(["pocketsphinx", "pocketsphinx-en-us", "apertium", "apertium-eng-spa", "flite", "sox"], {
    installing: `Debian packages for the miner's ${engines} engines (${missing.flatMap((n) => n.packages).join(", ")} missing)`,
    cannot: `miner engines ${engines} stay off until you run`,
    failed: `the miner's ${engines} engines stay off`,
  });
}

function ensureBrowser() {
  if (process.platform !== "linux" || process.env.TENSORNODE_SKIP_APT === "1" || existsSync("/usr/bin/chromium")) return;
  aptInstall(["chromium"], {
    installing: "Chromium for the dashboard's browser test",
    cannot: "the dashboard's browser test needs Chromium; install it with",
    failed: "the dashboard's browser test will fail until Chromium is installed",
  });
}

function onPath(name) {
  return (process.env.PATH ?? "").split(":").some((dir) => dir && existsSync(join(dir, name)));
}

/** apt-get install as root, or with passwordless sudo; otherwise (or on failure) says what to run. Never stops the run. */
function aptInstall(packages, say) {
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(" ")}`;
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && onPath("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0;
  if (!onPath("apt-get") || (!isRoot && !sudo)) {
    process.stderr.write(`tensornode: ${say.cannot}: sudo sh -c '${command}'\n`);
    return;
  }
  process.stderr.write(`tensornode: installing ${say.installing}...\n`);
  const run = (args) => {
    const [file, ...rest] = isRoot ? args : ["sudo", "-n", ...args];
    return spawnSync(file, rest, { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, timeout: 900_000 }).status === 0;
  };
  if (!run(["apt-get", "update"]) || !run(["apt-get", "install", "-y", "--no-install-recommends", ...packages])) {
    process.stderr.write(`tensornode: apt-get failed; ${say.failed} (retry: ${command})\n`);
  }
}
