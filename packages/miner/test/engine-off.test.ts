import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMiner, type RunningMiner } from "../src/server.js";
import { json, MODEL } from "./helpers.js";

const MISSING = "/nonexistent/models/missing.gguf";
let miner: RunningMiner;

// Every engine pointed at something that is not there (vision: both tasks disabled).
beforeAll(async () => {
  miner = await startMiner({
    port: 0,
    config: {
      llm: { modelPath: MISSING, modelId: MODEL },
      embeddings: { enabled: false },
      stt: { pocketsphinxPath: "/nonexistent/bin/pocketsphinx_continuous" },
      tts: { flitePath: "/nonexistent/bin/flite", wasiFallback: false },
      translation: { apertiumPath: "/nonexistent/bin/apertium" },
      vision: { ocr: false, objects: false },
    },
  });
});
afterAll(() => miner.close());

const get = async (path: string) => json(await fetch(`${miner.url}${path}`));
const postJson = (path: string, body: unknown) => fetch(`${miner.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("a miner whose engines are missing", () => {
  it("reports every modality off in /v1/capabilities with an actionable reason, price and unit", async () => {
    const { modalities } = await get("/v1/capabilities");
    expect(Object.keys(modalities)).toEqual(["llm", "embeddings", "stt", "tts", "translation", "vision"]);
    expect(modalities.llm).toMatchObject({ status: "off", models: [MODEL], reason: expect.stringContaining(MISSING), unit: "token" });
    expect(modalities.embeddings).toEqual({ status: "off", reason: "disabled in the miner configuration", models: [], unit: "token", price: { unit: "token", tinybars_per_unit: "1" } });
    expect(modalities.stt).toMatchObject({ status: "off", unit: "second", price: { unit: "second" }, models: ["pocketsphinx-en-us"] });
    expect(modalities.stt.reason).toBe("/nonexistent/bin/pocketsphinx_continuous not found; install with: apt-get install -y --no-install-recommends pocketsphinx pocketsphinx-en-us sox");
    expect(modalities.tts).toMatchObject({ status: "off", unit: "character", reason: expect.stringContaining("/nonexistent/bin/flite not found; install with: apt-get install") });
    expect(modalities.translation).toMatchObject({ status: "off", unit: "character", reason: expect.stringContaining("apertium-eng-spa") });
    expect(modalities.vision).toMatchObject({ status: "off", unit: "image", tasks: { text: { status: "off" }, objects: { status: "off" } } });
  });

  it("advertises nothing in /health and /v1/models", async () => {
    expect(await get("/health")).toEqual({ status: "ok", modalities: [] });
    expect(await get("/v1/models")).toEqual({ object: "list", data: [] });
  });

  it("answers chat with 503, the reason and Retry-After", async () => {
    const response = await postJson("/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: "hi" }] });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect((await json(response)).error).toMatchObject({ type: "server_error", code: "engine_unavailable", message: expect.stringContaining(MISSING) });
  });

  it("answers the speech, translation and vision routes with 503 and the reason", async () => {
    const speech = await postJson("/v1/audio/speech", { model: "flite-slt", input: "hi" });
    expect(speech.status).toBe(503);
    expect((await json(speech)).error).toMatchObject({ code: "engine_unavailable", message: expect.stringContaining("flite") });
    const form = new FormData();
    form.set("model", "pocketsphinx-en-us");
    form.set("file", new Blob(["RIFF"]), "a.wav");
    const stt = await fetch(`${miner.url}/v1/audio/transcriptions`, { method: "POST", body: form });
    expect(stt.status).toBe(503);
    expect((await json(stt)).error.message).toContain("pocketsphinx");
    const translation = await postJson("/v1/translations", { model: "apertium-eng-spa", input: "hi", source_language: "en", target_language: "es" });
    expect(translation.status).toBe(503);
    expect((await postJson("/v1/vision/analyze", { model: "tensornode-vision", image: "AAAA" })).status).toBe(503);
  });
});

describe("text-to-speech without the flite binary", () => {
  let fallback: RunningMiner;
  beforeAll(async () => {
    fallback = await startMiner({
      port: 0,
      config: { llm: { enabled: false }, embeddings: { enabled: false }, stt: { enabled: false }, translation: { enabled: false }, vision: { enabled: false }, tts: { flitePath: "/nonexistent/bin/flite" } },
    });
  });
  afterAll(() => fallback.close());

  it("falls back to flite compiled to WASI (npm) and still speaks WAV", async () => {
    const model = await json(await fetch(`${fallback.url}/v1/models/flite-slt`));
    expect(model).toMatchObject({ modality: "tts", backend: "wasi", voices: expect.arrayContaining(["slt"]) });
    const response = await fetch(`${fallback.url}/v1/audio/speech`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "flite-slt", input: "hello world" }) });
    expect(response.status).toBe(200);
    const wav = Buffer.from(await response.arrayBuffer());
    expect(wav.toString("ascii", 0, 4)).toBe("RIFF");
    expect(wav.length).toBeGreaterThan(16_000);
  });
});
