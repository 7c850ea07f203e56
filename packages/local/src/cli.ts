/**
 * `npm start`: boots the whole TensorNode network on 127.0.0.1, prints its URLs, writes them with
 * the demo credentials to `.tensornode/local.json`, and shuts everything down on Ctrl-C/SIGTERM.
 *
 * Ports: API 4100, WebSocket 4101, dashboard 4102, DynamoDB Local 4103, SQS 4104; set
 * TENSORNODE_PORT_BASE to move them all (e.g. 5100 → 5100..5104). State (DynamoDB data and
 * local.json) lives in `.tensornode/`, or TENSORNODE_STATE_DIR.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { manifest } from "../../../stacks/manifest.js";
import { startLocalNetwork, type LocalNetwork } from "./local-network.js";
import { jsonLog } from "./log.js";
import { PrerequisiteError } from "./prerequisites.js";

const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** TENSORNODE_STATE_DIR moves the state (tests use a temporary folder). */
const stateDir = resolve(process.env.TENSORNODE_STATE_DIR ?? join(rootDir, ".tensornode"));
const stateFile = join(stateDir, "local.json");

async function main() {
  const base = Number(process.env.TENSORNODE_PORT_BASE ?? 4100);
  if (!Number.isInteger(base) || base < 1024 || base > 65_000) throw new PrerequisiteError(`TENSORNODE_PORT_BASE must be an integer between 1024 and 65000, got '${process.env.TENSORNODE_PORT_BASE}'.`);
  mkdirSync(stateDir, { recursive: true });

  let network: LocalNetwork | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      process.stderr.write("Forced exit.\n");
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the local network...\n`);
    await network?.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  network = await startLocalNetwork({
    rootDir,
    manifest,
    dataDir: join(stateDir, "dynamodb"),
    ports: { api: base, websocket: base + 1, dashboard: base + 2, dynamodb: base + 3, sqs: base + 4 },
    demoStateFile: stateFile,
    log: jsonLog,
  });
  const state = { startedAt: new Date().toISOString(), pid: process.pid, urls: network.urls, tableName: network.tableName, queues: network.queues, demo: network.demo };
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(stateFile, 0o600);

  process.stdout.write(
    [
      "",
      "TensorNode local network is up (everything on 127.0.0.1):",
      `  API        ${network.urls.api}        (try: curl ${network.urls.api}/health)`,
      `  WebSocket  ${network.urls.websocket}`,
      `  Dashboard  ${network.urls.dashboard}`,
      `  Demo API key and all URLs: ${stateFile}`,
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
}

main().catch((error) => {
  if (error instanceof PrerequisiteError) {
    process.stderr.write(`tensornode: ${error.message}\n`);
  } else {
    jsonLog("local", "startup failed", { error: (error as Error).stack ?? String(error) });
    process.stderr.write(`tensornode: the local network failed to start: ${(error as Error).message}\n`);
  }
  process.exit(1);
});
