import { Hono } from "hono";
import { requireEngine, withSlot, type MinerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { readJsonBody } from "../json-body.js";
import { speechRequest } from "../schemas.js";
import { parseWav, resamplePcm16 } from "../../engines/wav.js";

const TRANSCRIPTION_FORMATS = ["json", "text", "verbose_json"] as const;
/** OpenAI's `pcm`: raw 16-bit little-endian mono at 24 kHz. */
const PCM_RATE = 24_000;

const formField = (form: FormData, name: string): string | undefined => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};

/**
 * `POST /v1/audio/transcriptions` (multipart/form-data, as OpenAI): `file`, `model`, optional
 * `language` ("en") and `response_format` (json | text | verbose_json). Usage is the audio's length in
 * seconds, rounded up: in the JSON body, and for every format in `x-tensornode-usage-seconds`.
 */
export function transcriptionRoutes(ctx: MinerContext) {
  return new Hono().post("/", async (c) => {
    const contentType = c.req.header("content-type") ?? "";
    if (!/^multipart\/form-data\b/i.test(contentType)) {
      throw new HttpError(415, `Unsupported content type '${contentType || "(none)"}'; send the audio as multipart/form-data with a 'file' field.`, "unsupported_media_type");
    }
    let form: FormData;
    try {
      form = await c.req.raw.formData();
    } catch {
      throw new HttpError(400, "The multipart/form-data body could not be parsed.", "invalid_multipart");
    }
    const model = formField(form, "model");
    if (!model) throw new HttpError(400, "model is required.", "missing_field", "model");
    const file = form.get("file");
    if (file === null || typeof file === "string") throw new HttpError(400, "file is required: the audio as a multipart file field.", "missing_field", "file");
    const language = formField(form, "language");
    if (language !== undefined && language !== "" && language.toLowerCase() !== "en") {
      throw new HttpError(400, `Unsupported language '${language}'; this miner transcribes only 'en'.`, "unsupported_language", "language");
    }
    const format = formField(form, "response_format") ?? "json";
    if (!(TRANSCRIPTION_FORMATS as readonly string[]).includes(format)) {
      throw new HttpError(400, `Unsupported response_format '${format}'; use ${TRANSCRIPTION_FORMATS.join(", ")}.`, "unsupported_format", "response_format");
    }
    const engine = requireEngine(ctx, "stt", model);
    const audio = new Uint8Array(await file.arrayBuffer());
    const result = await withSlot(ctx, "stt", () => engine.transcribe(audio, { maxSeconds: ctx.config.stt.maxAudioSeconds, fileName: file.name }));
    const seconds = Math.max(1, Math.ceil(result.durationSeconds));
    c.header("x-tensornode-usage-seconds", String(seconds));
    if (format === "text") return c.text(result.text);
    const usage = { type: "duration", seconds };
    if (format === "verbose_json") {
      return c.json({ task: "transcribe", language: "english", duration: Math.round(result.durationSeconds * 1000) / 1000, text: result.text, segments: [], usage });
    }
    return c.json({ text: result.text, usage });
  });
}

/**
 * `POST /v1/audio/speech` (JSON, as OpenAI): `model`, `input`, optional `voice` (default the
 * configured one), `response_format` (`wav` or `pcm`) and `speed`. Answers the audio bytes, with the
 * billed input length in `x-tensornode-usage-characters`.
 */
export function speechRoutes(ctx: MinerContext) {
  return new Hono().post("/", async (c) => {
    const body = await readJsonBody(c, speechRequest);
    const format = body.response_format ?? "wav";
    if (format !== "wav" && format !== "pcm") throw new HttpError(400, `Unsupported response_format '${format}'; this miner produces wav or pcm.`, "unsupported_format", "response_format");
    const engine = requireEngine(ctx, "tts", body.model);
    const max = ctx.config.tts.maxInputChars;
    if (body.input.length > max) throw new HttpError(400, `The input is ${body.input.length} characters; this miner speaks at most ${max} per request.`, "input_too_long", "input");
    const voice = body.voice ?? ctx.config.tts.defaultVoice;
    if (!engine.voices.includes(voice)) throw new HttpError(400, `Unknown voice '${voice}'; this model has: ${engine.voices.join(", ")}.`, "unsupported_voice", "voice");
    const wav = await withSlot(ctx, "tts", () => engine.synthesize(body.input, { voice, speed: body.speed ?? 1 }));
    const headers = { "x-tensornode-usage-characters": String(body.input.length) };
    if (format === "wav") return c.body(new Uint8Array(wav), 200, { ...headers, "content-type": "audio/wav" });
    const parsed = parseWav(wav)!;
    const pcm = resamplePcm16(parsed.data, parsed.sampleRate, PCM_RATE);
    return c.body(new Uint8Array(pcm), 200, { ...headers, "content-type": "audio/pcm", "x-tensornode-sample-rate": String(PCM_RATE) });
  });
}
