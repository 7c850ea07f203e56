import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { assertInputChars, requireEngine, type MinerContext } from "../context.js";
import { COMPLETIONS_DEFAULT_MAX_TOKENS, generationParams, usageOf } from "../generation.js";
import { readJsonBody } from "../json-body.js";
import { completionRequest } from "../schemas.js";
import { streamGeneration } from "../stream.js";

/** `POST /v1/completions`: OpenAI legacy text completions (raw continuation), JSON or SSE. */
export function completionRoutes(ctx: MinerContext) {
  return new Hono().post("/", async (c) => {
    const body = await readJsonBody(c, completionRequest);
    const engine = requireEngine(ctx, "llm", body.model);
    const prompt = typeof body.prompt === "string" ? body.prompt : (body.prompt[0] ?? "");
    assertInputChars(ctx, prompt.length, "prompt");
    const params = generationParams(ctx, body, COMPLETIONS_DEFAULT_MAX_TOKENS);
    const base = { id: `cmpl-${randomUUID()}`, object: "text_completion", created: Math.floor(Date.now() / 1000), model: body.model };
    const release = await ctx.limiters.llm.acquire();

    if (body.stream) {
      const includeUsage = body.stream_options?.include_usage === true;
      const chunk = (choice: object | null, usage?: object | null) => ({
        ...base,
        choices: choice ? [{ index: 0, text: "", logprobs: null, finish_reason: null, ...choice }] : [],
        ...(includeUsage && { usage: usage ?? null }),
      });
      return streamGeneration(c, {
        includeUsage,
        release,
        logger: ctx.logger,
        run: (signal, onText) => engine.complete(prompt, { ...params, signal, onText }),
        shape: {
          delta: (text) => chunk({ text }),
          finish: (reason) => chunk({ finish_reason: reason }),
          usage: (usage) => chunk(null, usage),
        },
      });
    }

    try {
      const result = await engine.complete(prompt, params);
      return c.json({ ...base, choices: [{ index: 0, text: result.text, logprobs: null, finish_reason: result.finishReason }], usage: usageOf(result) });
    } finally {
      release();
    }
  });
}
