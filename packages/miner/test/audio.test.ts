import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMinerApp, type MinerApp } from "../src/app.js";
import { FliteEngine } from "../src/engines/flite-engine.js";
import { PocketsphinxEngine } from "../src/engines/pocketsphinx-engine.js";
import { closeEngines, loadEngines, type EngineRegistry } from "../src/engines/registry.js";
import { parseWav } from "../src/engines/wav.js";
import { json, post } from "./helpers.js";

// The real flite and pocketsphinx (Debian packages the bootstrap installs), loaded once for the file.
let engines: EngineRegistry;
let app: MinerApp;
const STT = "pocketsphinx-en-us";
const TTS = "flite-slt";
const FOX = "the quick brown fox jumped over the lazy dog";

beforeAll(async () => {
  engines = await loadEngines({
    stt: new PocketsphinxEngine({ modelId: STT, pocketsphinxPath: "pocketsphinx_continuous", soxPath: "sox", timeoutMs: 30_000 }),
    tts: new FliteEngine({ modelId: TTS, flitePath: "flite", wasiFallback: false, defaultVoice: "slt", timeoutMs: 30_000 }),
  });
  app = createMinerApp({ engines, config: { stt: { maxAudioSeconds: 10 }, tts: { maxInputChars: 200 } } });
});
afterAll(() => closeEngines(engines));

const speak = (input: string, extra: Record<string, unknown> = {}) => post(app, "/v1/audio/speech", { model: TTS, input, ...extra });

function transcribe(audio: Uint8Array | string, fields: Record<string, string> = {}, fileName = "speech.wav") {
  const form = new FormData();
  form.set("file", new Blob([typeof audio === "string" ? audio : new Uint8Array(audio)]), fileName);
  for (const [name, value] of Object.entries({ model: STT, ...fields })) form.set(name, value);
  return Promise.resolve(app.request("/v1/audio/transcriptions", { method: "POST", body: form }));
}

async function expectError(response: Response, status: number, error: Record<string, unknown>) {
  expect(response.status).toBe(status);
  expect((await json(response)).error).toMatchObject(error);
}

describe("text-to-speech and speech-to-text round trip", () => {
  let wav: Uint8Array;

  it("speaks a sentence as a RIFF WAV of plausible length, with the characters billed", async () => {
    const response = await speak(FOX);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("audio/wav");
    expect(response.headers.get("x-tensornode-usage-characters")).toBe(String(FOX.length));
    wav = new Uint8Array(await response.arrayBuffer());
    const info = parseWav(Buffer.from(wav))!;
    expect(info).toMatchObject({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(info.durationSeconds).toBeGreaterThan(1.5);
    expect(info.durationSeconds).toBeLessThan(6);
  });

  it("transcribes the spoken sentence, with its duration rounded up as usage", async () => {
    const response = await transcribe(wav);
    expect(response.status).toBe(200);
    const body = await json(response);
    const words = FOX.split(" ").filter((w) => body.text.split(" ").includes(w));
    expect(words.length).toBeGreaterThanOrEqual(5);
    expect(body.usage).toEqual({ type: "duration", seconds: Math.ceil(parseWav(Buffer.from(wav))!.durationSeconds) });
    expect(response.headers.get("x-tensornode-usage-seconds")).toBe(String(body.usage.seconds));
  });

  it("answers text and verbose_json formats", async () => {
    const text = await transcribe(wav, { response_format: "text", language: "en" });
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await text.text()).toContain("fox");
    const verbose = await json(await transcribe(wav, { response_format: "verbose_json" }));
    expect(verbose).toMatchObject({ language: "english", duration: expect.any(Number), text: expect.stringContaining("fox"), usage: { type: "duration" } });
  });

  it("slows down with speed < 1, offers pcm at 24 kHz and other voices", async () => {
    const slow = parseWav(Buffer.from(await (await speak("hello there", { speed: 0.5 })).arrayBuffer()))!;
    const normal = parseWav(Buffer.from(await (await speak("hello there")).arrayBuffer()))!;
    expect(slow.durationSeconds).toBeGreaterThan(normal.durationSeconds * 1.5);
    const pcm = await speak("hello there", { response_format: "pcm" });
    expect(pcm.headers.get("content-type")).toBe("audio/pcm");
    expect(pcm.headers.get("x-tensornode-sample-rate")).toBe("24000");
    const bytes = (await pcm.arrayBuffer()).byteLength;
    expect(bytes / 2 / 24_000).toBeCloseTo(normal.durationSeconds, 1);
    expect((await speak("hello", { voice: "awb" })).status).toBe(200);
  });
});

describe("bad audio requests get 4xx OpenAI errors", () => {
  it("missing file or model, wrong content type, bad format or language", async () => {
    const noFile = new FormData();
    noFile.set("model", STT);
    await expectError(await app.request("/v1/audio/transcriptions", { method: "POST", body: noFile }), 400, { param: "file", type: "invalid_request_error" });
    const noModel = new FormData();
    noModel.set("file", new Blob(["x"]), "a.wav");
    await expectError(await app.request("/v1/audio/transcriptions", { method: "POST", body: noModel }), 400, { param: "model" });
    await expectError(await post(app, "/v1/audio/transcriptions", { model: STT }), 415, { code: "unsupported_media_type" });
    await expectError(await transcribe("RIFF", { response_format: "srt" }), 400, { param: "response_format" });
    await expectError(await transcribe("RIFF", { language: "fr" }), 400, { code: "unsupported_language" });
    await expectError(await transcribe("RIFF", { model: "whisper-1" }), 404, { code: "model_not_found" });
  });

  it("garbage, empty and too-long audio", async () => {
    await expectError(await transcribe(new Uint8Array(2000).map((_, i) => (i * 7919) % 256)), 400, { code: "invalid_audio", param: "file" });
    await expectError(await transcribe(new Uint8Array(0)), 400, { code: "invalid_audio" });
    // 12 s of silence against the 10 s limit.
    const silence = new Uint8Array(44 + 12 * 32_000);
    silence.set(Buffer.from(Buffer.concat([Buffer.from("RIFF"), Buffer.alloc(4), Buffer.from("WAVEfmt ")])));
    const view = Buffer.from(silence.buffer);
    view.writeUInt32LE(36 + 12 * 32_000, 4);
    view.writeUInt32LE(16, 16);
    view.writeUInt16LE(1, 20);
    view.writeUInt16LE(1, 22);
    view.writeUInt32LE(16_000, 24);
    view.writeUInt32LE(32_000, 28);
    view.writeUInt16LE(2, 32);
    view.writeUInt16LE(16, 34);
    view.write("data", 36, "ascii");
    view.writeUInt32LE(12 * 32_000, 40);
    await expectError(await transcribe(silence), 400, { code: "audio_too_long" });
  });

  it("unknown voice, unsupported format, empty or too long input", async () => {
    await expectError(await speak("hi", { voice: "alloy" }), 400, { code: "unsupported_voice", param: "voice", message: expect.stringContaining("slt") });
    await expectError(await speak("hi", { response_format: "mp3" }), 400, { code: "unsupported_format", param: "response_format" });
    await expectError(await speak(""), 400, { param: "input" });
    await expectError(await speak("x".repeat(201)), 400, { code: "input_too_long" });
    await expectError(await speak("hi", { speed: 9 }), 400, { param: "speed" });
  });
});
