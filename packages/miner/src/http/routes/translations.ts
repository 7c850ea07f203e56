import { Hono } from "hono";
import { toIso1 } from "../../engines/apertium-engine.js";
import { inputStrings, requireEngine, withSlot, type MinerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { readJsonBody } from "../json-body.js";
import { translationRequest } from "../schemas.js";

/**
 * `POST /v1/translations` (TensorNode's own shape; OpenAI has none for text): `input` string or
 * strings, `source_language` and `target_language` (ISO 639-1 such as `en`, or Apertium's 639-3
 * `eng`). Usage is the input's characters (JavaScript string length), summed.
 */
export function translationRoutes(ctx: MinerContext) {
  return new Hono().post("/", async (c) => {
    const body = await readJsonBody(c, translationRequest);
    const engine = requireEngine(ctx, "translation", body.model);
    const inputs = inputStrings(ctx, body.input, ctx.config.translation.maxInputs, "translates");
    const characters = inputs.reduce((sum, s) => sum + s.length, 0);
    const source = toIso1(body.source_language.toLowerCase());
    const target = toIso1(body.target_language.toLowerCase());
    if (!engine.pairs.includes(`${source}-${target}`)) {
      throw new HttpError(400, `Unsupported language pair ${body.source_language} → ${body.target_language}; supported pairs: ${engine.pairs.join(", ")}.`, "unsupported_language_pair", "target_language");
    }
    const translations = await withSlot(ctx, "translation", async () => {
      const out: string[] = [];
      for (const input of inputs) out.push(await engine.translate(input, source, target));
      return out;
    });
    return c.json({
      object: "list",
      model: body.model,
      data: translations.map((translation, index) => ({ object: "translation", index, translation })),
      usage: { characters },
    });
  });
}
