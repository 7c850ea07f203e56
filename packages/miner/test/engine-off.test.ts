import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMiner, type RunningMiner } from "../src/server.js";
import { json, MODEL } from "./helpers.js";

const MISSING = "/nonexistent/models/missing.gguf";
let miner: RunningMiner;

beforeAll(async () => {
  miner = await startMiner({ port: 0, config: { llm: { modelPath: MISSING, modelId: MODEL }, embeddings: { enabled: false } } });
});
afterAll(() => miner.close());

const get = async (path: string) => json(await fetch(`${miner.url}${path}`));

describe("a miner whose GGUF file is missing", () => {
  it("reports the LLM off with the path in /v1/capabilities", async () => {
    const { modalities } = await get("/v1/capabilities");
    expect(modalities.llm).toMatchObject({ status: "off", models: [MODEL], reason: expect.stringContaining(MISSING) });
    expect(modalities.embeddings).toEqual({ status: "off", reason: "disabled in the miner configuration", models: [] });
  });

  it("advertises nothing in /health and /v1/models", async () => {
    expect(await get("/health")).toEqual({ status: "ok", modalities: [] });
    expect(await get("/v1/models")).toEqual({ object: "list", data: [] });
  });

  it("answers chat with 503, the reason and Retry-After", async () => {
    const response = await fetch(`${miner.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect((await json(response)).error).toMatchObject({ type: "server_error", code: "engine_unavailable", message: expect.stringContaining(MISSING) });
  });
});
