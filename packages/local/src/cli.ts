/**
 * `npm start`: boots the whole TensorNode network on 127.0.0.1, prints its URLs, writes them with
 * the demo credentials to `.tensornode/local.json`, and shuts everything down on Ctrl-C/SIGTERM.
 *
 * Ports: API 4100, WebSocket 4101, dashboard 4102, DynamoDB Local 4103, SQS 4104, Hedera
 * consensus gRPC 4105, Hedera mirror gRPC 4106, Hedera mirror REST 4107, miners 4108-4110,
 * streaming API (Function URL) 4111; TENSORNODE_PORT_BASE moves them all (e.g. 5100 → 5100..5111). TENSORNODE_MINERS (0-3, default 3)
 * sets how many reference miners run. State (DynamoDB data, the Hedera journal and keys,
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
  const minerCount = Number(process.env.TENSORNODE_MINERS ?? 3);
  if (!Number.isInteger(minerCount) || minerCount < 0 || minerCount > 3) throw new PrerequisiteError(`TENSORNODE_MINERS must be 0 to 3 (one per provisioned miner account), got '${process.env.TENSORNODE_MINERS}'.`);
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
    dataDir: stateDir,
    ports: { api: base, websocket: base + 1, dashboard: base + 2, dynamodb: base + 3, sqs: base + 4, hedera: base + 5, hederaMirror: base + 6, hederaRest: base + 7, stream: base + 11 },
    miners: minerCount,
    minerPorts: Array.from({ length: minerCount }, (_, i) => base + 8 + i),
    demoStateFile: stateFile,
    log: jsonLog,
  });
  // Public facts only: Hedera private keys stay in hedera.json (mode 600) and are never printed.
  const accounts = network.hedera.accounts;
  const state = {
    startedAt: new Date().toISOString(),
    pid: process.pid,
    urls: network.urls,
    tableName: network.tableName,
    queues: network.queues,
    demo: { ...network.demo, hederaAccountId: accounts.developer.accountId },
    hedera: {
      nodeAccountId: network.hedera.nodeAccountId,
      treasuryAccountId: accounts.treasury.accountId,
      auditTopicId: accounts.auditTopicId,
      minerAccountIds: accounts.miners.map((m) => m.accountId),
      validatorAccountIds: accounts.validators.map((v) => v.accountId),
      dispatcherAccountId: accounts.dispatcher?.accountId,
      keysFile: join(stateDir, "hedera.json"),
    },
  };
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(stateFile, 0o600);

  process.stdout.write(
    [
      "",
      "TensorNode local network is up (everything on 127.0.0.1):",
      `  API        ${network.urls.api}        (try: curl ${network.urls.api}/health)`,
      `  Streaming  ${network.urls.stream}        (the same API; SSE arrives chunk by chunk)`,
      `  WebSocket  ${network.urls.websocket}`,
      `  Dashboard  ${network.urls.dashboard}`,
      `  Hedera     ${network.urls.hederaConsensus} (node ${network.hedera.nodeAccountId}), mirror REST ${network.urls.hederaMirrorRest}`,
      `  Miners     ${network.urls.miners.join(", ") || "none (TENSORNODE_MINERS=0)"}`,
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
