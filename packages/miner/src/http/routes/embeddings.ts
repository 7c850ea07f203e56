import { Hono } from "hono";
import { HttpError } from "../errors.js";
import { inputStrings, requireEngine, type MinerContext } from "../context.js";
import { readJsonBody } from "../json-body.js";
import { embeddingRequest } from "../schemas.js";

const toBase64 = (vector: number[]) => Buffer.from(new Float32Array(vector).buffer).toString("base64");

/** `POST /v1/embeddings`: one vector per input string; `usage.prompt_tokens` from the model's tokenizer. */
export function embeddingRoutes(ctx: MinerContext) {
  return new Hono().post("/", async (c) => {
    const body = await readJsonBody(c, embeddingRequest);
    const engine = requireEngine(ctx, "embeddings", body.model);
    const inputs = inputStrings(ctx, body.input, ctx.config.limits.maxEmbeddingInputs, "embeds");
    if (body.dimensions != null && body.dimensions !== engine.dimensions) {
      throw new HttpError(400, `This model only produces ${engine.dimensions}-dimensional embeddings.`, "invalid_value", "dimensions");
    }
    const release = await ctx.limiters.embeddings.acquire();
    let result;
    try {
      result = await engine.embed(inputs);
    } finally {
      release();
    }
    const base64 = body.encoding_format === "base64";
    return c.json({
      object: "list",
      data: result.vectors.map((vector, index) => ({ object: "embedding", index, embedding: base64 ? toBase64(vector) : vector })),
      model: body.model,
      usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens },
    });
  });
}
