/**
 * A docker-free local Hedera network in one command:
 *
 *   npm run hedera-ledger [-- --port 50211 --mirror-port 5600 --rest-port 5551 --data .hedera-ledger | --in-memory]
 *
 * The defaults are the ports `Client.forLocalNode()` uses, so any @hashgraph/sdk program works
 * unchanged with operator 0.0.2 and the genesis key from `<data>/genesis.json` (never printed).
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadOrCreateGenesisKey } from "./genesis-key.js";
import { startEmbeddedLedger } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "50211" },
    "mirror-port": { type: "string", default: "5600" },
    "rest-port": { type: "string", default: "5551" },
    data: { type: "string", default: ".hedera-ledger" },
    "in-memory": { type: "boolean", default: false },
  },
});

const port = (name: "port" | "mirror-port" | "rest-port") => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    process.stderr.write(`hedera-ledger: --${name} must be a port number, got '${values[name]}'\n`);
    process.exit(1);
  }
  return value;
};

const dataDir = resolve(values.data!);
const keyFile = join(dataDir, "genesis.json");
const genesis = loadOrCreateGenesisKey(keyFile);
try {
  const ledger = await startEmbeddedLedger({
    genesisKey: genesis.publicKey,
    port: port("port"),
    mirrorPort: port("mirror-port"),
    restPort: port("rest-port"),
    ...(values["in-memory"] ? {} : { dataDir }),
  });
  process.stdout.write(
    [
      "Embedded Hedera ledger is up (127.0.0.1 only):",
      `  consensus node  ${ledger.consensus}  (node account ${ledger.nodeAccountId})`,
      `  mirror gRPC     ${ledger.mirror}`,
      `  mirror REST     ${ledger.restUrl}/api/v1`,
      `  operator        0.0.2, private key in ${keyFile}`,
      `  state           ${values["in-memory"] ? "in memory" : join(dataDir, "journal.log")}`,
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );
  const stop = () => void ledger.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  const message = (error as Error).message;
  process.stderr.write(`hedera-ledger: ${/EADDRINUSE|address already in use/i.test(message) ? `a port is already in use (${message})` : message}\n`);
  process.exit(1);
}
