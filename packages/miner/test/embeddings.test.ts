import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMinerApp, type MinerApp } from "../src/app.js";
import { EmbeddingsEngine } from "../src/engines/embeddings-engine.js";
import { closeEngines, loadEngines, type EngineRegistry } from "../src/engines/registry.js";
import { cosine, EMBEDDING_MODEL, json, post } from "./helpers.js";

// The real USE-lite model from node_modules, loaded once for the file.
let engines: EngineRegistry;
let app: MinerApp;

beforeAll(async () => {
  engines = await loadEngines({ embeddings: new EmbeddingsEngine({ modelId: EMBEDDING_MODEL }) });
  app = createMinerApp({ engines, config: { limits: { maxEmbeddingInputs: 4 } } });
});
afterAll(() => closeEngines(engines));

const embed = async (input: unknown, extra: Record<string, unknown> = {}) => post(app, "/v1/embeddings", { model: EMBEDDING_MODEL, input, ...extra });

describe("POST /v1/embeddings", () => {
  it("returns one 512-d vector per input, similar sentences closer than unrelated ones", async () => {
    const response = await embed(["A man is playing a guitar.", "Someone is strumming a musical instrument.", "The stock market fell sharply today."]);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ object: "list", model: EMBEDDING_MODEL });
    expect(body.data.map((d: { index: number; object: string }) => [d.index, d.object])).toEqual([[0, "embedding"], [1, "embedding"], [2, "embedding"]]);
    const [guitar, strumming, market] = body.data.map((d: { embedding: number[] }) => d.embedding);
    expect(guitar).toHaveLength(512);
    const similar = cosine(guitar, strumming);
    const unrelated = cosine(guitar, market);
    expect(similar).toBeGreaterThan(0.4);
    expect(unrelated).toBeLessThan(0.2);
    expect(similar).toBeGreaterThan(unrelated);
  });

  it("accepts a single string and counts tokens with the model's SentencePiece tokenizer", async () => {
    const one = await json(await embed("A man is playing a guitar."));
    expect(one.data).toHaveLength(1);
    expect(one.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 });
    const two = await json(await embed(["A man is playing a guitar.", "A man is playing a guitar."]));
    expect(two.usage.prompt_tokens).toBe(14);
    // The same text embeds the same in a batch and alone.
    expect(cosine(two.data[1].embedding, one.data[0].embedding)).toBeCloseTo(1, 5);
  });

  it("encodes base64 float32 when asked", async () => {
    const float = await json(await embed("hello world"));
    const b64 = await json(await embed("hello world", { encoding_format: "base64" }));
    const bytes = Buffer.from(b64.data[0].embedding, "base64");
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded).toHaveLength(512);
    expect(decoded[0]).toBeCloseTo(float.data[0].embedding[0], 6);
  });

  it("refuses more inputs than the limit, token arrays, other dimensions and an unknown model", async () => {
    const tooMany = await embed(["a", "b", "c", "d", "e"]);
    expect(tooMany.status).toBe(400);
    expect((await json(tooMany)).error).toMatchObject({ code: "too_many_inputs", param: "input" });
    const tokens = await embed([1, 2, 3]);
    expect(tokens.status).toBe(400);
    expect((await json(tokens)).error.param).toBe("input");
    const dims = await embed("x", { dimensions: 256 });
    expect((await json(dims)).error).toMatchObject({ param: "dimensions" });
    const unknown = await post(app, "/v1/embeddings", { model: "text-embedding-3-small", input: "x" });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error).toMatchObject({ code: "model_not_found", param: "model" });
  });
});
