import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import type { ChatMessage } from "../../engines/engine.js";
import { assertInputChars, requireEngine, type MinerContext } from "../context.js";
import { generationParams, usageOf } from "../generation.js";
import { readJsonBody } from "../json-body.js";
import { chatCompletionRequest, type ChatCompletionRequest } from "../schemas.js";
import { streamGeneration } from "../stream.js";

const toMessages = (body: ChatCompletionRequest): ChatMessage[] =>
  body.messages.map((m) => ({
    role: m.role === "developer" ? "system" : m.role,
    content: typeof m.content === "string" ? m.content : (m.content ?? []).map((part) => part.text).join(""),
  }));

/** `POST /v1/chat/completions`: OpenAI chat completions, JSON or SSE (`stream: true`). */
export function chatRoutes(ctx: MinerContext) {
  return new Hono().post("/", async (c) => {
    const body = await readJsonBody(c, chatCompletionRequest);
    const engine = requireEngine(ctx, "llm", body.model);
    const messages = toMessages(body);
    assertInputChars(ctx, messages.reduce((sum, m) => sum + m.content.length, 0), "messages");
    const params = generationParams(ctx, body, ctx.config.limits.maxTokens);
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const base = { id, created, model: body.model };
    const release = await ctx.limiters.llm.acquire();

    if (body.stream) {
      const includeUsage = body.stream_options?.include_usage === true;
      const chunk = (choice: object | null, usage?: object) => ({
        ...base,
        object: "chat.completion.chunk",
        choices: choice ? [{ index: 0, logprobs: null, finish_reason: null, ...choice }] : [],
        ...(includeUsage && { usage: usage ?? null }),
      });
      return streamGeneration(c, {
        includeUsage,
        release,
        logger: ctx.logger,
        run: (signal, onText) => engine.chat(messages, { ...params, signal, onText }),
        shape: {
          start: () => chunk({ delta: { role: "assistant", content: "" } }),
          delta: (content) => chunk({ delta: { content } }),
          finish: (reason) => chunk({ delta: {}, finish_reason: reason }),
          usage: (usage) => chunk(null, usage),
        },
      });
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
