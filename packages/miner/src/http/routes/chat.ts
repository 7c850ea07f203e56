import { randomUUID } from "node:crypto";
import { Hono, type Context } from "hono";
import type { ChatMessage, GenerationResult, VisionAnalysis } from "../../engines/engine.js";
import { assertInputChars, requireEngine, type MinerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { generationParams, usageOf } from "../generation.js";
import { decodeImageInput } from "../image-input.js";
import { readJsonBody } from "../json-body.js";
import { chatCompletionRequest, type ChatCompletionRequest } from "../schemas.js";
import { streamGeneration } from "../stream.js";
import { labelsOf, visionTasks } from "./vision.js";

type Part = Exclude<NonNullable<ChatCompletionRequest["messages"][number]["content"]>, string>[number];

const partsOf = (body: ChatCompletionRequest): Part[] => body.messages.flatMap((m) => (typeof m.content === "string" || m.content == null ? [] : m.content));
const textOf = (content: ChatCompletionRequest["messages"][number]["content"]): string =>
  typeof content === "string" ? content : (content ?? []).map((part) => (part.type === "text" ? part.text : "")).join("");

const toMessages = (body: ChatCompletionRequest): ChatMessage[] =>
  body.messages.map((m) => ({ role: m.role === "developer" ? "system" : m.role, content: textOf(m.content) }));

/** Token counts for the vision model, which has no tokenizer: characters / 4, rounded up. */
const approxTokens = (text: string) => Math.ceil(text.length / 4);

/** What the vision model "says" about one image: its text lines, then the objects with their scores. */
export function describeImage(analysis: VisionAnalysis): string {
  const parts: string[] = [];
  if (analysis.text) parts.push(analysis.text.length > 0 ? `Text in the image:\n${analysis.text.map((l) => l.text).join("\n")}` : "No text found in the image.");
  if (analysis.objects) {
    const labels = labelsOf(analysis.objects);
    parts.push(`Objects: ${labels.length > 0 ? labels.map((l) => `${l.label} (${l.score.toFixed(2)})`).join(", ") : "none detected"}`);
  }
  return parts.join("\n");
}

/** `POST /v1/chat/completions`: OpenAI chat completions, JSON or SSE (`stream: true`); the vision model answers image parts. */
export function chatRoutes(ctx: MinerContext) {
  return new Hono().post("/", async (c) => {
    const body = await readJsonBody(c, chatCompletionRequest);
    const vision = ctx.registry.vision;
    if (vision?.engine.modelIds.includes(body.model)) return visionChat(ctx, c, body);
    if (partsOf(body).some((part) => part.type === "image_url")) {
      const hint = vision ? `send image_url parts to the vision model '${vision.engine.modelIds[0]}'` : "this miner has no vision model";
      throw new HttpError(400, `The model '${body.model}' cannot read images; ${hint}.`, "image_input_unsupported", "messages");
    }
    const engine = requireEngine(ctx, "llm", body.model);
    const messages = toMessages(body);
    assertInputChars(ctx, messages.reduce((sum, m) => sum + m.content.length, 0), "messages");
    const params = generationParams(ctx, body, ctx.config.limits.maxTokens);
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const base = { id, created, model: body.model };
    const release = await ctx.limiters.llm.acquire();

    if (body.stream) {
      return stream(c, ctx, body, base, release, (signal, onText) => engine.chat(messages, { ...params, signal, onText }));
    }

    try {
      const result = await engine.chat(messages, params);
      return c.json({
        ...base,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: result.text, refusal: null }, logprobs: null, finish_reason: result.finishReason }],
        usage: usageOf(result),
      });
    } finally {
      release();
    }
  });
}

function stream(
  c: Context,
  ctx: MinerContext,
  body: ChatCompletionRequest,
  base: { id: string; created: number; model: string },
  release: () => void,
  run: (signal: AbortSignal, onText: (text: string) => void) => Promise<GenerationResult>,
) {
  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choice: object | null, usage?: object | null) => ({
    ...base,
    object: "chat.completion.chunk",
    choices: choice ? [{ index: 0, logprobs: null, finish_reason: null, ...choice }] : [],
    ...(includeUsage && { usage: usage ?? null }),
  });
  return streamGeneration(c, {
    includeUsage,
    release,
    logger: ctx.logger,
    run,
    shape: {
      start: () => chunk({ delta: { role: "assistant", content: "" } }),
      delta: (content) => chunk({ delta: { content } }),
      finish: (reason) => chunk({ delta: {}, finish_reason: reason }),
      usage: (usage) => chunk(null, usage),
    },
  });
}

/**
 * Chat with the vision model: every image part is analysed (OCR and objects) and the assistant's
 * message describes it; text parts are counted but cannot steer the engine. Usage is in tokens
 * approximated as characters / 4 (rounded up); the image count is in `x-tensornode-usage-images`,
 * the unit the vision model is priced in. Streaming sends the whole description as one delta.
 */
async function visionChat(ctx: MinerContext, c: Context, body: ChatCompletionRequest): Promise<Response> {
  const engine = requireEngine(ctx, "vision", body.model);
  const images = partsOf(body).flatMap((part) => (part.type === "image_url" ? [part.image_url.url] : []));
  if (images.length === 0) throw new HttpError(400, `The vision model '${body.model}' needs at least one image_url content part.`, "missing_image", "messages");
  const maxImages = ctx.config.vision.maxImagesPerRequest;
  if (images.length > maxImages) throw new HttpError(400, `The messages hold ${images.length} images; this miner analyses at most ${maxImages} per request.`, "too_many_images", "messages");
  const promptText = body.messages.map((m) => textOf(m.content)).join("\n");
  assertInputChars(ctx, promptText.length, "messages");
  const params = generationParams(ctx, body, ctx.config.limits.maxTokens);
  const decoded = images.map((url) => decodeImageInput(ctx, url, "messages"));
  const tasks = visionTasks(ctx, engine, null);
  const base = { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model: body.model };
  c.header("x-tensornode-usage-images", String(images.length));

  const describe = async (): Promise<GenerationResult> => {
    const analyses: VisionAnalysis[] = [];
    for (const image of decoded) analyses.push(await engine.analyze(image, tasks));
    const full = analyses.length === 1 ? describeImage(analyses[0]!) : analyses.map((a, i) => `Image ${i + 1}:\n${describeImage(a)}`).join("\n\n");
    // max_tokens applies to the approximate count: the description is cut at 4 characters a token.
    const cut = full.length > params.maxTokens * 4;
    const text = cut ? full.slice(0, params.maxTokens * 4) : full;
    return { text, promptTokens: approxTokens(promptText), completionTokens: approxTokens(text), finishReason: cut ? "length" : "stop" };
  };

  // Taken before answering, so a saturated engine is a 429 even when streaming.
  const release = await ctx.limiters.vision.acquire();
  if (body.stream) {
    return stream(c, ctx, body, base, release, async (_signal, onText) => {
      const result = await describe();
      onText(result.text);
      return result;
    });
  }
  let result: GenerationResult;
  try {
    result = await describe();
  } finally {
    release();
  }
  return c.json({
    ...base,
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: result.text, refusal: null }, logprobs: null, finish_reason: result.finishReason }],
    usage: usageOf(result),
  });
}
