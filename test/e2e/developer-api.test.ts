import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dispatchAuthorizerFor } from "@tensornode/local";
import { startMiner } from "@tensornode/miner";
import OpenAI, { toFile } from "openai";
import { OVERHEAD_TOKENS_PER_TEXT, signRequest } from "@tensornode/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClient, eventually, startTestNetwork, type TestNetwork } from "./harness.js";

/**
 * The developer API through the official `openai` npm client, unmodified, against the local
 * network with two real miners: every modality, streaming (SSE and WebSocket), metering, keys,
 * rate limits, credits from a real Hedera deposit, jobs and failover.
 */
let t: TestNetwork;
let openai: OpenAI;
const api = () => t.network.urls.api;
const auth = (key = t.apiKey) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  t = await startTestNetwork({ miners: 2 });
  openai = new OpenAI({ baseURL: `${api()}/v1`, apiKey: t.apiKey, maxRetries: 0 });
}, 240_000);
afterAll(async () => t?.close());

const LLM = "stories260K";
const modelsOf = async () => (await openai.models.list()).data as unknown as Array<{ id: string; modality: string; miners: number; pricing: { unit: string; max_price_per_unit: string } }>;
const modelFor = async (modality: string) => (await modelsOf()).find((m) => m.modality === modality)?.id;
const balance = async (key = t.apiKey) => BigInt(((await (await fetch(`${api()}/v1/account`, { headers: auth(key) })).json()) as { balance: string }).balance);
const usage = async (key = t.apiKey) => ((await (await fetch(`${api()}/v1/usage?limit=100`, { headers: auth(key) })).json()) as { data: Array<{ id: string; cost: string; operation: string; model: string; units: number; source: string }> }).data;

async function signed(method: string, path: string, body: unknown, account: { accountId: string; privateKey: string }) {
  const text = body === undefined ? "" : JSON.stringify(body);
  const headers = signRequest({ method, path, body: text }, account.accountId, account.privateKey);
  return fetch(`${api()}${path}`, { method, headers: { ...headers, ...(text && { "content-type": "application/json" }) }, ...(text && { body: text }) });
}

/** A PNG with two lines of text, rendered here so the test knows exactly what the image says. */
async function imageWithText(): Promise<Buffer> {
  const { default: sharp } = await import("sharp");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="220"><rect width="100%" height="100%" fill="white"/><text x="30" y="90" font-family="DejaVu Sans" font-size="48" fill="black">INVOICE 4821</text><text x="30" y="170" font-family="DejaVu Sans" font-size="48" fill="black">TOTAL DUE 137</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe("the official openai client against TensorNode", () => {
  it("lists the models live miners serve, with modality, unit price and miner count", async () => {
    const models = await modelsOf();
    const llm = models.find((m) => m.id === LLM);
    // The local miner's context and its longest completion (its default max_tokens cap), which bound a chat without max_tokens.
    expect(llm).toMatchObject({ modality: "llm", miners: 2, pricing: { unit: "token" }, context_length: expect.any(Number), max_completion_tokens: 256 });
    expect(new Set(models.map((m) => m.modality))).toEqual(new Set(["llm", "embeddings", "stt", "tts", "translation", "vision"]));
  });

  it("chat, plain and streamed over SSE, charges exactly the usage reported", async () => {
    const before = await balance();
    const completion = await openai.chat.completions.create({ model: LLM, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 16 });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(completion.usage!.total_tokens).toBeGreaterThan(0);

    const stream = await openai.chat.completions.create({ model: LLM, messages: [{ role: "user", content: "Once" }], max_tokens: 8, stream: true });
    let text = "";
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe("chat.completion.chunk");
      expect(chunk.choices.length).toBeGreaterThan(0); // the gateway's own usage chunk is hidden: not asked for
      text += chunk.choices[0]!.delta.content ?? "";
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(0);

    const records = (await usage()).filter((r) => r.operation === "chat.completions");
    const charged = records.slice(0, 2).reduce((sum, r) => sum + BigInt(r.cost), 0n);
    expect(records.slice(0, 2).map((r) => r.source).sort()).toEqual(["stream", "sync"]);
    expect(before - (await balance())).toBe(charged);
  });

  it("embeddings (the client asks for base64 and decodes it)", async () => {
    const result = await openai.embeddings.create({ model: (await modelFor("embeddings"))!, input: ["A man is playing a guitar.", "Someone strums an instrument."] });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]!.embedding).toHaveLength(512);
    expect(result.usage.total_tokens).toBeGreaterThan(0);
  });

  it("speech returns a WAV, and transcription of that WAV finds the words", async () => {
    const speech = await openai.audio.speech.create({ model: (await modelFor("tts"))!, input: "the quick brown fox jumped over the lazy dog", voice: "slt" as never, response_format: "wav" });
    const wav = Buffer.from(await speech.arrayBuffer());
    expect(wav.subarray(0, 4).toString()).toBe("RIFF");

    const transcription = await openai.audio.transcriptions.create({ model: (await modelFor("stt"))!, file: await toFile(wav, "fox.wav", { type: "audio/wav" }) });
    const heard = transcription.text.toLowerCase();
    expect(["quick", "brown", "fox", "lazy", "dog"].filter((word) => heard.includes(word)).length).toBeGreaterThanOrEqual(3);
    const [latest] = await usage();
    expect(latest).toMatchObject({ operation: "audio.transcriptions", source: "sync" });
    expect(latest!.units).toBeGreaterThanOrEqual(2); // seconds, measured by the gateway from the WAV header
  });

  it("translation and vision (structured, and through chat image parts)", async () => {
    const translated = (await openai.post("/translations", { body: { model: (await modelFor("translation"))!, input: "I would like to buy a red car", source_language: "en", target_language: "es" } })) as { data: Array<{ translation: string }> };
    expect(translated.data[0]!.translation.toLowerCase()).toContain("coche rojo");

    const image = (await imageWithText()).toString("base64");
    const vision = (await modelFor("vision"))!;
    const analysis = (await openai.post("/vision/analyze", { body: { model: vision, image: `data:image/png;base64,${image}` } })) as { text: Array<{ text: string }>; usage: { images: number } };
    // PaddleOCR may drop the space between a word and a number; compare without spaces.
    const squash = (text: string) => text.replace(/\s+/g, "");
    expect(squash(analysis.text.map((line) => line.text).join(" "))).toContain("INVOICE4821");
    expect(analysis.usage.images).toBe(1);

    const described = await openai.chat.completions.create({
      model: vision,
      messages: [{ role: "user", content: [{ type: "text", text: "What does it say?" }, { type: "image_url", image_url: { url: `data:image/png;base64,${image}` } }] }],
    });
    expect(squash(described.choices[0]!.message.content!)).toContain("TOTALDUE137");
    // A vision model reading a chat's image bills one image, like vision/analyze.
    expect((await usage())[0]).toMatchObject({ operation: "chat.completions", units: 1, source: "sync" });
  });

  it("serves its OpenAPI 3.1 document and a docs page", async () => {
    const doc = (await (await fetch(`${api()}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/chat/completions", "/v1/audio/transcriptions", "/v1/keys"]));
    const page = await fetch(`${api()}/docs`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("openapi.json");
  });

  it("lets the dashboard (another origin) call it: preflight answered, allow-origin on answers", async () => {
    const origin = t.network.urls.dashboard;
    const preflight = await fetch(`${api()}/v1/chat/completions`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    const answer = await fetch(`${api()}/v1/account`, { headers: { ...auth(), origin } });
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-expose-headers")).toContain("x-request-id");
  });

  it("every answer carries its request id: miner replies, errors, lists", async () => {
    const served = await fetch(`${api()}/v1/chat/completions`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify({ model: LLM, messages: [{ role: "user", content: "hi" }], max_tokens: 2 }) });
    const refused = await fetch(`${api()}/v1/models/no-such-model`);
    const listed = await fetch(`${api()}/v1/models`);
    for (const response of [served, refused, listed]) expect(response.headers.get("x-request-id")).toMatch(/\S{8,}/);
  });

  it("errors are OpenAI errors: unknown model 404, bad body 400, wrong modality 400", async () => {
    await expect(openai.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] })).rejects.toMatchObject({ status: 404, error: { type: "not_found_error", param: "model" } });
    await expect(openai.chat.completions.create({ model: LLM, messages: [] })).rejects.toMatchObject({ status: 400, error: { param: "messages" } });
    await expect(openai.embeddings.create({ model: LLM, input: "x" })).rejects.toMatchObject({ status: 400, error: { param: "model" } });
  });
});

describe("accounts, keys, limits and credits", () => {
  const developer = () => t.network.hedera.accounts.validators[0]!;

  it("opens an account with a Hedera signature, refuses work until a deposit is credited, then serves it", async () => {
    const opened = await signed("POST", "/v1/accounts", { key: { name: "first" } }, developer());
    expect(opened.status).toBe(201);
    const account = (await opened.json()) as { id: string; balance: string; deposit: { treasury_account_id: string; memo: string }; api_key: { secret: string } };
    expect(account).toMatchObject({ id: developer().accountId, balance: "0", deposit: { memo: developer().accountId } });
    const key = account.api_key.secret;
    expect((await signed("POST", "/v1/accounts", {}, developer())).status).toBe(409);

    const client = new OpenAI({ baseURL: `${api()}/v1`, apiKey: key, maxRetries: 0 });
    await expect(client.chat.completions.create({ model: LLM, messages: [{ role: "user", content: "hi" }], max_tokens: 4 })).rejects.toMatchObject({ status: 402 });

    const { depositToTreasury } = await import("../../packages/local/src/demo-deposit.js");
    await depositToTreasury({ consensusNode: t.network.hedera.config.consensusNode!, from: developer(), treasuryAccountId: account.deposit.treasury_account_id, amountTinybars: 1_000_000_000n });
    await t.network.fireCron("depositScan");
    await t.network.fireCron("depositScan"); // a rescan credits nothing twice
    expect(await balance(key)).toBe(1_000_000_000n);
    // The spending guard caches balances for 2 s.
    await eventually(async () => ((await client.chat.completions.create({ model: LLM, messages: [{ role: "user", content: "hi" }], max_tokens: 4 }).catch(() => undefined)) ? true : undefined), 5_000, "credited account served");
  });

  it("creates, lists and revokes keys; a revoked key is refused; the secret is shown once", async () => {
    const created = await fetch(`${api()}/v1/keys`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify({ name: "ci" }) });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; secret: string };
    const listed = (await (await fetch(`${api()}/v1/keys`, { headers: auth() })).json()) as { data: Array<Record<string, unknown>> };
    const entry = listed.data.find((k) => k.id === key.id)!;
    expect(entry).toMatchObject({ status: "active", name: "ci" });
    expect(JSON.stringify(listed)).not.toContain(key.secret);

    const client = new OpenAI({ baseURL: `${api()}/v1`, apiKey: key.secret, maxRetries: 0 });
    await client.embeddings.create({ model: (await modelFor("embeddings"))!, input: "ok" });
    expect((await fetch(`${api()}/v1/keys/${key.id}`, { method: "DELETE", headers: auth() })).status).toBe(200);
    await expect(client.embeddings.create({ model: (await modelFor("embeddings"))!, input: "ok" })).rejects.toMatchObject({ status: 401 });
  });

  it("a key over its rate limit gets 429 with Retry-After; a key over its spending limit gets 402", async () => {
    const make = async (body: object) =>
      ((await (await fetch(`${api()}/v1/keys`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify(body) })).json()) as { secret: string }).secret;
    const limited = new OpenAI({ baseURL: `${api()}/v1`, apiKey: await make({ name: "slow", rate_limit_per_minute: 2 }), maxRetries: 0 });
    const embeddings = (await modelFor("embeddings"))!;
    await limited.embeddings.create({ model: embeddings, input: "1" });
    await limited.embeddings.create({ model: embeddings, input: "2" });
    const refused = await limited.embeddings.create({ model: embeddings, input: "3" }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 429, error: { type: "rate_limit_error" } });
    expect(Number((refused as { headers: Headers }).headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

    // A limit of exactly one request's worst case (input bytes plus overhead tokens at the dearest
    // miner's price): the first is served and charged, then what is left cannot cover the second,
    // which is refused before any miner runs it.
    const price = BigInt((await modelsOf()).find((m) => m.id === embeddings)!.pricing.max_price_per_unit);
    const worstCase = BigInt("spend it".length + OVERHEAD_TOKENS_PER_TEXT) * price;
    const capped = new OpenAI({ baseURL: `${api()}/v1`, apiKey: await make({ name: "capped", spend_limit_tinybars: String(worstCase) }), maxRetries: 0 });
    await capped.embeddings.create({ model: embeddings, input: "spend it" });
    await expect(capped.embeddings.create({ model: embeddings, input: "spend it" })).rejects.toMatchObject({ status: 402 });
    // A limit below one request's worst case is refused at once.
    const tiny = new OpenAI({ baseURL: `${api()}/v1`, apiKey: await make({ name: "tiny", spend_limit_tinybars: "1" }), maxRetries: 0 });
    await expect(tiny.embeddings.create({ model: embeddings, input: "spend it" })).rejects.toMatchObject({ status: 402 });
  });
});

describe("a miner whose upstream reports no usage", () => {
  const MODEL = "no-usage-llm";
  let upstream: Server;
  let miner: Awaited<ReturnType<typeof startMiner>>;
  const account = () => t.network.hedera.accounts.miners[2]!;

  /** An OpenAI-compatible server that answers "Hello there" and never says how many tokens that was. */
  function startUpstream(): Promise<string> {
    upstream = createServer((request, response) => {
      if (request.url === "/v1/models") return void response.end(JSON.stringify({ object: "list", data: [{ id: "tiny" }] }));
      let body = "";
      request.setEncoding("utf8").on("data", (d: string) => (body += d)).on("end", () => {
        if (!(JSON.parse(body) as { stream?: boolean }).stream) {
          return void response.end(JSON.stringify({ id: "u1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "Hello there" }, finish_reason: "stop" }] }));
        }
        response.writeHead(200, { "content-type": "text/event-stream" });
        for (const delta of [{ content: "Hello" }, { content: " there" }]) response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`);
        response.end(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\ndata: [DONE]\n\n`);
      });
    });
    return new Promise((done) => upstream.listen(0, "127.0.0.1", () => done(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`)));
  }

  beforeAll(async () => {
    const authorize = await dispatchAuthorizerFor(t.network.hedera.accounts.dispatcher!);
    const off = { enabled: false } as const;
    miner = await startMiner({ port: 0, authorize, config: { llm: { modelId: MODEL, upstream: { baseUrl: await startUpstream(), model: "tiny" } }, embeddings: off, stt: off, tts: off, translation: off, vision: off } });
    const registered = await signed("POST", "/v1/miners", { endpoint: miner.url, models: [{ id: MODEL, modality: "llm", pricePerUnit: "3" }] }, account());
    expect(registered.status).toBe(201);
    // The routing table caches the miner directory for up to 5 s.
    await eventually(async () => ((await modelsOf()).some((m) => m.id === MODEL) ? true : undefined), 10_000, `${MODEL} to be routed`);
  }, 30_000);
  afterAll(async () => {
    await signed("DELETE", "/v1/miners/me", undefined, account());
    await miner?.close();
    upstream?.closeAllConnections();
    await new Promise((done) => upstream?.close(done));
  });

  it("is billed the tokens the gateway counts, and the client sees them as usage", async () => {
    // Prepare
    const before = await balance();
    // Act
    const completion = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 16 });
    // Assess: prompt "user" + "hi" + 3 per message + 3 for the reply = 8 tokens; "Hello there" = 2
    expect(completion.choices[0]!.message.content).toBe("Hello there");
    expect(completion.usage).toEqual({ prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 });
    const [record] = (await usage()).filter((r) => r.model === MODEL);
    expect(record).toMatchObject({ units: 10, cost: "30", source: "sync" });
    expect(before - (await balance())).toBe(30n);
  });

  it("streams, and is billed the prompt it counts plus a token per content chunk", async () => {
    const before = await balance();
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 16, stream: true });
    let text = "";
    for await (const chunk of stream) {
      expect(chunk.choices.length).toBeGreaterThan(0); // the miner's usage-less usage chunk is hidden: not asked for
      text += chunk.choices[0]!.delta.content ?? "";
    }
    expect(text).toBe("Hello there");
    // A stream is charged when it ends, in the background.
    const record = await eventually(async () => (await usage()).find((r) => r.model === MODEL && r.source === "stream"), 10_000, "the stream's charge");
    expect(record).toMatchObject({ units: 10, cost: "30" });
    expect(before - (await balance())).toBe(30n);
  });

  it("fills the usage a client asks for with the gateway's count: SSE's last chunk, WebSocket's chat.done", async () => {
    const stream = await openai.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 16, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 } });

    const ws = await connectClient(`${t.network.urls.websocket}?api_key=${t.apiKey}`);
    try {
      ws.send({ action: "chat", client_id: "counted", request: { model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 16 } });
      let event: { type: string; client_id: string; usage?: unknown };
      do event = (await ws.next(20_000)) as typeof event;
      while (event.client_id !== "counted" || event.type === "chat.chunk");
      expect(event).toMatchObject({ type: "chat.done", usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 } });
    } finally {
      await ws.close();
    }
  });
});

describe("jobs, WebSocket streams and failover", () => {
  it("an async job runs on a miner, is pushed to subscribers, and is charged exactly once", async () => {
    const ws = await connectClient(`${t.network.urls.websocket}?api_key=${t.apiKey}`);
    try {
      const submitted = await fetch(`${api()}/v1/jobs`, {
        method: "POST",
        headers: { ...auth(), "content-type": "application/json" },
        body: JSON.stringify({ kind: "embeddings", input: { model: (await modelFor("embeddings"))!, input: "queued work" } }),
      });
      expect(submitted.status).toBe(202);
      const { id } = (await submitted.json()) as { id: string };
      ws.send({ action: "subscribe", jobId: id });
      const done = await eventually(async () => {
        const job = (await (await fetch(`${api()}/v1/jobs/${id}`, { headers: auth() })).json()) as { status: string; result: { data: unknown[] } };
        return job.status === "succeeded" ? job : undefined;
      }, 30_000, "job to succeed");
      expect(done.result.data).toHaveLength(1);
      expect((await usage()).filter((r) => r.id === id)).toHaveLength(1);
    } finally {
      await ws.close();
    }
  });

  it("streams a chat completion over the WebSocket API: chunks in the OpenAI format, then usage", async () => {
    const ws = await connectClient(`${t.network.urls.websocket}?api_key=${t.apiKey}`);
    try {
      ws.send({ action: "chat", client_id: "c1", request: { model: LLM, messages: [{ role: "user", content: "Once" }], max_tokens: 8 } });
      const events: Array<{ type: string; client_id: string; chunk?: { object: string }; usage?: { total_tokens: number } }> = [];
      for (;;) {
        const event = (await ws.next(20_000)) as (typeof events)[number];
        if (event.client_id !== "c1") continue;
        events.push(event);
        if (event.type !== "chat.chunk") break;
      }
      expect(events.at(-1)).toMatchObject({ type: "chat.done", usage: { total_tokens: expect.any(Number) } });
      expect(events.filter((e) => e.type === "chat.chunk").length).toBeGreaterThan(1);
      expect(events[0]!.chunk!.object).toBe("chat.completion.chunk");

      ws.send({ action: "chat", client_id: "bad", request: { model: LLM } });
      const error = (await ws.next(10_000)) as { type: string; client_id: string; error: { param: string } };
      expect(error).toMatchObject({ type: "error", client_id: "bad", error: { param: "request.messages" } });
    } finally {
      await ws.close();
    }
  });

  it("fails over from a miner that does not answer to one that does", async () => {
    // A third miner registers the LLM at the lowest price, so routing tries it first, but nothing listens at its endpoint.
    const ghost = t.network.hedera.accounts.miners[2]!;
    const registered = await signed("POST", "/v1/miners", { endpoint: "http://127.0.0.1:9", models: [{ id: LLM, modality: "llm", pricePerUnit: "1" }] }, ghost);
    expect(registered.status).toBe(201);
    // The routing table caches the miner directory for 5 s; after that the ghost is first in line.
    await new Promise((resolve) => setTimeout(resolve, 5_200));
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${api()}/v1/chat/completions`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: JSON.stringify({ model: LLM, messages: [{ role: "user", content: "hi" }], max_tokens: 4 }) });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-tensornode-miner")).not.toBe(ghost.accountId);
    }
    expect((await signed("DELETE", "/v1/miners/me", undefined, ghost)).status).toBe(200);
  });
});
