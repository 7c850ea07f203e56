/**
 * Part 2: per-engine latency over HTTP, p50 (and p90) of 10 runs on a fixed input for each of the six
 * engines, after 2 warm-up runs each (inputs in `ENGINE_CASES`).
 *
 * Part 1: LLM throughput through the miner's HTTP vs node-llama-cpp called in-process, same settings:
 * stories260K, contextSize 512, threads 1, greedy, no repeat penalty, prompt "Once upon a time",
 * 128 tokens, non-streamed, 20 runs each (interleaved, after 3 warm-up runs each).
 * The miner runs as its own process (`src/cli.ts`), as in production.
 *
 *   node --import tsx packages/miner/bench.ts
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { signRequest } from "@tensornode/core";
import { fileURLToPath } from "node:url";
import { getLlama, LlamaCompletion, TokenMeter } from "node-llama-cpp";
import { DEFAULT_GGUF_PATH } from "./src/config.js";

const RUNS = 20;
const WARMUP = 3;
const MAX_TOKENS = 128;
const PROMPT = "Once upon a time";
const MODEL = "stories260K";

interface Run {
  tokens: number;
  ms: number;
}

/** The miner checks every request's dispatch signature, as in production: the bench signs as the dispatcher. */
const dispatcher = (() => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" });
  return { accountId: "0.0.3001", der: privateKey.export({ format: "der", type: "pkcs8" }).toString("hex"), hex: spki.subarray(spki.length - 32).toString("hex") };
})();

async function startMinerProcess(): Promise<{ url: string; stop: () => void }> {
  const cli = fileURLToPath(new URL("./src/cli.ts", import.meta.url));
  const args = ["--import", "tsx", cli, "--port", "0", "--dispatch-account", dispatcher.accountId, "--dispatch-key", dispatcher.hex];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  return new Promise((resolve, reject) => {
    let log = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      log += text;
      const match = /listening on (http:\/\/\S+)/.exec(log);
      if (match) resolve({ url: match[1]!, stop: () => child.kill("SIGTERM") });
    });
    child.once("exit", (code) => reject(new Error(`miner exited (${code}):\n${log}`)));
  });
}

async function viaHttp(url: string): Promise<Run> {
  const started = performance.now();
  const body = JSON.stringify({ model: MODEL, prompt: PROMPT, max_tokens: MAX_TOKENS, temperature: 0 });
  const response = await fetch(`${url}/v1/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signRequest({ method: "POST", path: "/v1/completions", body }, dispatcher.accountId, dispatcher.der) },
    body,
  });
  const answer = (await response.json()) as { usage?: { completion_tokens: number } };
  const ms = performance.now() - started;
  if (!response.ok || !answer.usage) throw new Error(`HTTP ${response.status}: ${JSON.stringify(answer)}`);
  return { tokens: answer.usage.completion_tokens, ms };
}

async function inProcessEngine(): Promise<() => Promise<Run>> {
  const llama = await getLlama({ gpu: false, build: "never" });
  const model = await llama.loadModel({ modelPath: DEFAULT_GGUF_PATH });
  const context = await model.createContext({ contextSize: 512, threads: 1 });
  const sequence = context.getSequence();
  const completion = new LlamaCompletion({ contextSequence: sequence });
  return async () => {
    const started = performance.now();
    await sequence.clearHistory();
    const before = sequence.tokenMeter.getState();
    await completion.generateCompletionWithMeta(PROMPT, { maxTokens: MAX_TOKENS, temperature: 0, repeatPenalty: false });
    const ms = performance.now() - started;
    return { tokens: TokenMeter.diff(sequence.tokenMeter, before).usedOutputTokens, ms };
  };
}

const summary = (runs: Run[]) => {
  const tokens = runs.reduce((s, r) => s + r.tokens, 0);
  const ms = runs.reduce((s, r) => s + r.ms, 0);
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  return { tokPerS: (tokens / ms) * 1000, medianMs: sorted[Math.floor(sorted.length / 2)]!, tokensPerRun: tokens / runs.length };
};

const ENGINE_RUNS = 10;
const SENTENCE = "The quick brown fox jumped over the lazy dog.";

function signedFetch(url: string, path: string, body: Uint8Array | string, contentType: string): Promise<Response> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const headers = { "content-type": contentType, ...signRequest({ method: "POST", path, body: bytes }, dispatcher.accountId, dispatcher.der) };
  return fetch(`${url}${path}`, { method: "POST", headers, body: bytes });
}
const postJson = (url: string, path: string, body: object) => signedFetch(url, path, JSON.stringify(body), "application/json");

/** One request per engine on a fixed input; each returns the response for a status check. */
async function engineCases(url: string): Promise<Array<{ name: string; input: string; run: () => Promise<Response> }>> {
  const speech = await postJson(url, "/v1/audio/speech", { model: "flite-slt", input: SENTENCE });
  const wav = new Uint8Array(await speech.arrayBuffer());
  const form = new FormData();
  form.set("model", "pocketsphinx-en-us");
  form.set("file", new Blob([wav]), "fox.wav");
  const multipart = new Request("http://bench/", { method: "POST", body: form });
  const multipartType = multipart.headers.get("content-type")!;
  const multipartBytes = new Uint8Array(await multipart.arrayBuffer());
  const sharp = (await import("sharp")).default;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="220"><rect width="100%" height="100%" fill="white"/><text x="30" y="90" font-family="DejaVu Sans" font-size="48">Invoice 4821</text><text x="30" y="170" font-family="DejaVu Sans" font-size="48">total due 137.50</text></svg>`;
  const image = `data:image/png;base64,${(await sharp(Buffer.from(svg)).png().toBuffer()).toString("base64")}`;
  return [
    { name: "llm", input: "chat, 32 tokens greedy", run: () => postJson(url, "/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: PROMPT }], max_tokens: 32, temperature: 0 }) },
    { name: "embeddings", input: "1 sentence", run: () => postJson(url, "/v1/embeddings", { model: "use-lite-512", input: SENTENCE }) },
    { name: "stt", input: `${(wav.length / 32_000).toFixed(1)} s flite WAV`, run: () => signedFetch(url, "/v1/audio/transcriptions", multipartBytes, multipartType) },
    { name: "tts", input: `${SENTENCE.length} chars, slt`, run: () => postJson(url, "/v1/audio/speech", { model: "flite-slt", input: SENTENCE }) },
    { name: "translation", input: `${SENTENCE.length} chars en→es`, run: () => postJson(url, "/v1/translations", { model: "apertium-eng-spa", input: SENTENCE, source_language: "en", target_language: "es" }) },
    { name: "vision", input: "900x220 PNG, OCR + objects", run: () => postJson(url, "/v1/vision/analyze", { model: "tensornode-vision", image }) },
  ];
}

async function engineLatencies(url: string): Promise<void> {
  console.log(`\nPer-engine latency over HTTP (${ENGINE_RUNS} runs each after 2 warm-ups, signed requests)`);
  for (const { name, input, run } of await engineCases(url)) {
    const times: number[] = [];
    for (let i = 0; i < ENGINE_RUNS + 2; i++) {
      const started = performance.now();
      const response = await run();
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
      if (i >= 2) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    console.log(`${name.padEnd(12)} p50 ${p(0.5).toFixed(0).padStart(5)} ms   p90 ${p(0.9).toFixed(0).padStart(5)} ms   (${input})`);
  }
}

const miner = await startMinerProcess();
try {
  const bare = await inProcessEngine();
  for (let i = 0; i < WARMUP; i++) {
    await viaHttp(miner.url);
    await bare();
  }
  const http: Run[] = [];
  const local: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    http.push(await viaHttp(miner.url));
    local.push(await bare());
  }
  const h = summary(http);
  const l = summary(local);
  const ratio = h.tokPerS / l.tokPerS;
  const row = (name: string, s: ReturnType<typeof summary>) =>
    `${name.padEnd(22)} ${s.tokPerS.toFixed(0).padStart(6)} tok/s   median ${s.medianMs.toFixed(1).padStart(6)} ms/request   ${s.tokensPerRun} tokens/request`;
  console.log(`LLM ${MODEL}, ${MAX_TOKENS} tokens, non-streamed, ${RUNS} runs each (threads 1, contextSize 512, greedy)`);
  console.log(row("miner HTTP", h));
  console.log(row("node-llama-cpp direct", l));
  console.log(`ratio ${ratio.toFixed(3)} (target >= 0.8: ${ratio >= 0.8 ? "met" : "NOT met"})`);
  await engineLatencies(miner.url);
} finally {
  miner.stop();
}
