/**
 * Runs one miner: `node --import tsx packages/miner/src/cli.ts --port 4200`.
 * Flags: --port (4200), --host (127.0.0.1), --llm-model <gguf path>, --llm-model-id <id>,
 * --config <file.json> (a partial MinerConfig; flags win over the file),
 * --disable <modality,...> (llm, embeddings, stt, tts, translation, vision), --pocketsphinx <path>, --sox <path>,
 * --flite <path>, --apertium <path> (binaries; default: looked up on PATH), --translation-pairs en-es,es-en,
 * --llm-upstream <base url> (serve the LLM from an OpenAI-compatible server instead of a GGUF),
 * --llm-upstream-model <name> (the upstream's model name; --llm-model-id stays the id clients send),
 * --llm-upstream-key <key> (better: the TENSORNODE_LLM_UPSTREAM_KEY environment variable, kept off the command line),
 * --dispatch-account <0.0.x> --dispatch-key <hex> [--dispatch-key-type ED25519|ECDSA_SECP256K1]: the network's
 * dispatch account and public key; only work it signed is accepted. Without them the miner refuses to
 * start unless --allow-unsigned is given (local experiments only: anyone on the host could then use it).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Logger } from "@tensornode/core";
import type { MinerConfigInput } from "./config.js";
import type { Modality } from "./engines/engine.js";
import { MODALITIES } from "./engines/registry.js";
import { startMiner } from "./server.js";
import { dispatchAuthorizer } from "./dispatch-auth.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4200" },
    host: { type: "string", default: "127.0.0.1" },
    "llm-model": { type: "string" },
    "llm-model-id": { type: "string" },
    "llm-upstream": { type: "string" },
    "llm-upstream-key": { type: "string" },
    "llm-upstream-model": { type: "string" },
    config: { type: "string" },
    disable: { type: "string" },
    pocketsphinx: { type: "string" },
    sox: { type: "string" },
    flite: { type: "string" },
    apertium: { type: "string" },
    "translation-pairs": { type: "string" },
    "dispatch-account": { type: "string" },
    "dispatch-key": { type: "string" },
    "dispatch-key-type": { type: "string", default: "ED25519" },
    "allow-unsigned": { type: "boolean", default: false },
  },
});

const fail = (message: string): never => {
  process.stderr.write(`miner: ${message}\n`);
  process.exit(1);
};
const keyType = values["dispatch-key-type"];
if (keyType !== "ED25519" && keyType !== "ECDSA_SECP256K1") fail(`--dispatch-key-type must be ED25519 or ECDSA_SECP256K1, got '${keyType}'`);
const authorize =
  values["dispatch-account"] && values["dispatch-key"]
    ? dispatchAuthorizer({ accountId: values["dispatch-account"], publicKey: { type: keyType as "ED25519" | "ECDSA_SECP256K1", hex: values["dispatch-key"].toLowerCase() } })
    : values["allow-unsigned"]
      ? undefined
      : fail("give the network's --dispatch-account and --dispatch-key (or --allow-unsigned for a local experiment)");

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`miner: --port must be an integer from 0 to 65535, got '${values.port}'\n`);
  process.exit(1);
}

const fromFile: MinerConfigInput = values.config ? (JSON.parse(readFileSync(values.config, "utf8")) as MinerConfigInput) : {};
const disabled = new Set((values.disable ?? "").split(",").map((m) => m.trim()).filter(Boolean));
for (const modality of disabled) if (!(MODALITIES as readonly string[]).includes(modality)) fail(`--disable takes ${MODALITIES.join(", ")}; got '${modality}'`);
const off = (modality: Modality) => (disabled.has(modality) ? { enabled: false } : {});
// Upstream LLM: flags win over the file; the key comes from the flag, then the environment, then the file.
const upstreamUrl = values["llm-upstream"] ?? fromFile.llm?.upstream?.baseUrl;
const upstreamKey = values["llm-upstream-key"] ?? (process.env.TENSORNODE_LLM_UPSTREAM_KEY || undefined) ?? fromFile.llm?.upstream?.apiKey;
const upstreamModel = values["llm-upstream-model"] ?? fromFile.llm?.upstream?.model;
if (!upstreamUrl && (values["llm-upstream-key"] || values["llm-upstream-model"])) fail("--llm-upstream-key and --llm-upstream-model need --llm-upstream <base url>");
if (upstreamUrl && !/^https?:\/\/[^/]/.test(upstreamUrl)) fail(`--llm-upstream must be an http(s) URL, got '${upstreamUrl}'`);
const upstream = upstreamUrl ? { ...fromFile.llm?.upstream, baseUrl: upstreamUrl, ...(upstreamKey && { apiKey: upstreamKey }), ...(upstreamModel && { model: upstreamModel }) } : undefined;
const config: MinerConfigInput = {
  ...fromFile,
  llm: {
    ...fromFile.llm,
    ...(values["llm-model"] && { modelPath: values["llm-model"] }),
    ...(values["llm-model-id"] && { modelId: values["llm-model-id"] }),
    ...(upstream && { upstream }),
    ...off("llm"),
  },
  embeddings: { ...fromFile.embeddings, ...off("embeddings") },
  stt: { ...fromFile.stt, ...(values.pocketsphinx && { pocketsphinxPath: values.pocketsphinx }), ...(values.sox && { soxPath: values.sox }), ...off("stt") },
  tts: { ...fromFile.tts, ...(values.flite && { flitePath: values.flite }), ...off("tts") },
  translation: {
    ...fromFile.translation,
    ...(values.apertium && { apertiumPath: values.apertium }),
    ...(values["translation-pairs"] && { pairs: values["translation-pairs"].split(",").map((p) => p.trim()).filter(Boolean) }),
    ...off("translation"),
  },
  vision: { ...fromFile.vision, ...off("vision") },
};

const log = (level: string) => (message: string, attributes?: Record<string, unknown>) =>
  process.stderr.write(`${JSON.stringify({ level, message, ...attributes, time: new Date().toISOString() })}\n`);
const logger: Logger = { debug: () => {}, info: log("info"), warn: log("warn"), error: log("error") };

process.stderr.write("miner: loading engines...\n");
if (!authorize) process.stderr.write("miner: WARNING: accepting unsigned work (--allow-unsigned)\n");
const miner = await startMiner({ port, host: values.host, config, logger, ...(authorize ? { authorize } : {}) });
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
