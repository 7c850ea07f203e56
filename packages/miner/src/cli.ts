/**
 * Runs one miner: `node --import tsx packages/miner/src/cli.ts --port 4200`.
 * Flags: --port (4200), --host (127.0.0.1), --llm-model <gguf path>, --llm-model-id <id>,
 * --config <file.json> (a partial MinerConfig; flags win over the file).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Logger } from "@tensornode/core";
import type { MinerConfigInput } from "./config.js";
import { MODALITIES } from "./engines/registry.js";
import { startMiner } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4200" },
    host: { type: "string", default: "127.0.0.1" },
    "llm-model": { type: "string" },
    "llm-model-id": { type: "string" },
    config: { type: "string" },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`miner: --port must be an integer from 0 to 65535, got '${values.port}'\n`);
  process.exit(1);
}

const fromFile: MinerConfigInput = values.config ? (JSON.parse(readFileSync(values.config, "utf8")) as MinerConfigInput) : {};
const config: MinerConfigInput = {
  ...fromFile,
  llm: { ...fromFile.llm, ...(values["llm-model"] && { modelPath: values["llm-model"] }), ...(values["llm-model-id"] && { modelId: values["llm-model-id"] }) },
};

const log = (level: string) => (message: string, attributes?: Record<string, unknown>) =>
  process.stderr.write(`${JSON.stringify({ level, message, ...attributes, time: new Date().toISOString() })}\n`);
const logger: Logger = { debug: () => {}, info: log("info"), warn: log("warn"), error: log("error") };

process.stderr.write("miner: loading engines...\n");
const miner = await startMiner({ port, host: values.host, config, logger });
for (const modality of MODALITIES) {
  const state = miner.engines[modality];
  process.stderr.write(`miner: ${modality}: ${state?.status ?? "off"}${state?.reason ? ` (${state.reason})` : ""}${state ? ` in ${state.loadMs} ms` : ""}\n`);
}
process.stderr.write(`miner: listening on ${miner.url}\n`);

const stop = () => {
  miner.close().then(() => process.exit(0), () => process.exit(1));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
