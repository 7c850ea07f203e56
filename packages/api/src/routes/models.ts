import { DomainError, type ModelSummary, UNIT_OF } from "@tensornode/core";
import { Hono } from "hono";
import type { ApiEnv } from "../deps.js";

/** The OpenAI model object, extended with what a decentralized network adds: who serves it, at what price. */
function publicModel(model: ModelSummary) {
  return {
    id: model.id,
    object: "model" as const,
    created: 0,
    owned_by: "tensornode",
    modality: model.modality,
    miners: model.miners,
    context_length: model.contextLength ?? null,
    max_completion_tokens: model.maxCompletionTokens ?? null,
    pricing: {
      unit: UNIT_OF[model.modality],
      currency: "tinybar" as const,
      min_price_per_unit: model.minPricePerUnit.toString(),
      max_price_per_unit: model.maxPricePerUnit.toString(),
    },
  };
}

/** `GET /v1/models`: every model a healthy miner serves now. Public, like the miner list. */
export const models = new Hono<ApiEnv>()
  .get("/", async (c) => c.json({ object: "list", data: (await c.var.deps.inference.routing.models()).map(publicModel) }))
  .get("/:id{.+}", async (c) => {
    const id = c.req.param("id");
    const model = (await c.var.deps.inference.routing.models()).find((m) => m.id === id);
    if (!model) throw new DomainError("not_found", `The model '${id}' does not exist or no miner serves it.`, "model");
    return c.json(publicModel(model));
  });
