import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestNetwork, type TestNetwork } from "../../../test/e2e/harness.js";
import {
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PaymentRequiredError,
  RateLimitError,
  TensorNode,
  TensorNodeError,
  tinybars,
  type ChatCompletionChunk,
  type Job,
} from "../src/index.js";

/**
 * Every SDK method and error class against the real local network (DynamoDB Local, SQS, the API
 * Gateway emulator, the embedded Hedera ledger and one real miner); no mocks.
 */
let t: TestNetwork;
let tn: TensorNode;
const LLM = "stories260K";
const client = (options: { apiKey?: string; signer?: { accountId: string; privateKeyDer: string } } = {}) =>
  new TensorNode({ baseURL: t.network.urls.api, websocketURL: t.network.urls.websocket, apiKey: t.apiKey, ...options });
const modelFor = async (modality: string) => (await tn.models.list()).find((m) => m.modality === modality)!.id;
const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

beforeAll(async () => {
  t = await startTestNetwork({ miners: 1 });
  tn = client();
}, 240_000);
afterAll(async () => {
  await tn?.close();
  await t?.close();
});

describe("models, account, keys, usage", () => {
  it("lists models with modality, miner count and tinybar pricing; an unknown model is a NotFoundError", async () => {
    const models = await tn.models.list();
    const llm = models.find((m) => m.id === LLM)!;
    expect(llm).toMatchObject({ object: "model", modality: "llm", miners: 1, pricing: { unit: "token", currency: "tinybar" } });
    expect(tinybars(llm.pricing.min_price_per_unit)).toBeGreaterThan(0n);
    expect(await tn.models.retrieve(LLM)).toEqual(llm);

    const missing = await caught(tn.models.retrieve("no-such-model"));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404, type: "not_found_error", code: "not_found", param: "model", requestId: expect.any(String) });
  });

  it("reads the account: balance as a tinybar string, deposit instructions", async () => {
    const account = await tn.account();
    expect(account).toMatchObject({ object: "account", id: t.network.demo.ownerId, currency: "tinybar", deposit: { memo: t.network.demo.ownerId } });
    expect(account.balance).toMatch(/^\d+$/);
    expect(tinybars(account.balance)).toBeGreaterThan(0n);
  });

  it("an unknown API key is an AuthenticationError", async () => {
    const error = await caught(client({ apiKey: "tn_not_a_real_key" }).account());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, type: "authentication_error" });
  });

  it("creates keys with limits, lists them without secrets, revokes one; the revoked key is refused", async () => {
    const key = await tn.keys.create({ name: "sdk", rateLimitPerMinute: 50, spendLimitTinybars: 123_456_789_012n });
    expect(key).toMatchObject({ object: "api_key", name: "sdk", status: "active", rate_limit_per_minute: 50, spend_limit_tinybars: "123456789012", spent_tinybars: "0" });
    expect(key.secret).toEqual(expect.any(String));
    expect((await tn.withApiKey(key.secret).account()).id).toBe(t.network.demo.ownerId);

    const listed = await tn.keys.list();
    expect(listed.find((k) => k.id === key.id)).toMatchObject({ name: "sdk", status: "active" });
    expect(JSON.stringify(listed)).not.toContain(key.secret);

    expect(await tn.keys.revoke(key.id)).toMatchObject({ id: key.id, status: "revoked", revoked_at: expect.any(String) });
    await expect(tn.withApiKey(key.secret).account()).rejects.toBeInstanceOf(AuthenticationError);
    await expect(tn.keys.revoke("key_nope")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a bad body is an InvalidRequestError naming the parameter", async () => {
    const error = await caught(tn.keys.create({ rateLimitPerMinute: 0 }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status: 400, type: "invalid_request_error", param: "rate_limit_per_minute" });
    await expect(tn.translations.create({ model: await modelFor("translation"), input: "hi", source_language: "en" } as never)).rejects.toMatchObject({ status: 400, param: "target_language" });
  });

  it("translations and structured vision (the endpoints the openai client has no method for)", async () => {
    const translated = await tn.translations.create({ model: await modelFor("translation"), input: ["I would like to buy a red car"], source_language: "en", target_language: "es" });
    expect(translated.data[0]!.translation.toLowerCase()).toContain("coche rojo");
    expect(translated.usage.characters).toBe(29);

    const { default: sharp } = await import("sharp");
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="120"><rect width="100%" height="100%" fill="white"/><text x="30" y="80" font-family="DejaVu Sans" font-size="48" fill="black">HELLO 2024</text></svg>`;
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    const analysis = await tn.vision.analyze({ model: await modelFor("vision"), image: `data:image/png;base64,${png.toString("base64")}`, tasks: ["text"] });
    expect(analysis).toMatchObject({ object: "vision.analysis", width: 700, height: 120, usage: { images: 1 } });
    expect(analysis.text.map((line) => line.text).join(" ").replace(/\s+/g, "")).toContain("HELLO2024");
  });

  it("pages through usage: list with limit/before, and an async iterator over every page", async () => {
    // Prepare: at least three metered requests (metering is asynchronous).
    const model = await modelFor("translation");
    for (const input of ["one", "two", "three"]) await tn.translations.create({ model, input, source_language: "en", target_language: "es" });
    await eventually(async () => ((await tn.usage.list({ limit: 100 })).data.length >= 3 ? true : undefined), 10_000, "three usage records");
    const first = await tn.usage.list({ limit: 2 });
    expect(first).toMatchObject({ object: "list", has_more: true });
    expect(first.data).toHaveLength(2);
    expect(first.data[0]).toMatchObject({ object: "usage", currency: "tinybar", cost: expect.stringMatching(/^\d+$/), price_per_unit: expect.stringMatching(/^\d+$/) });
    const second = await tn.usage.list({ limit: 2, before: first.last_id! });
    expect(second.data[0]!.id).not.toBe(first.data[1]!.id);

    const everything = (await tn.usage.list({ limit: 100 })).data.map((r) => r.id);
    const iterated: string[] = [];
    for await (const record of tn.usage.all({ limit: 1 })) iterated.push(record.id);
    expect(iterated).toEqual(everything);
    const viaDefault: string[] = [];
    for await (const record of tn.usage) viaDefault.push(record.id);
    expect(viaDefault).toEqual(everything);
  });
});

describe("jobs", () => {
  it("submits, gets and waits for a job; an unknown job is a NotFoundError", async () => {
    const submitted = await tn.jobs.submit("embeddings", { model: await modelFor("embeddings"), input: "queued work" });
    expect(submitted).toMatchObject({ object: "job", kind: "embeddings", status: "queued" });
    expect((await tn.jobs.get(submitted.id)).id).toBe(submitted.id);
    const done = await tn.jobs.wait<{ data: unknown[] }>(submitted.id, { timeoutMs: 30_000, pollMs: 100 });
    expect(done.status).toBe("succeeded");
    expect(done.result!.data).toHaveLength(1);

    await expect(tn.jobs.get("job_does_not_exist")).rejects.toBeInstanceOf(NotFoundError);
    await expect(tn.jobs.submit("no-such-kind", {})).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it("wait gives up with a wait_timeout error", async () => {
    const job = await tn.jobs.submit("chat.completions", { model: LLM, messages: [{ role: "user", content: "Once" }], max_tokens: 4 });
    await expect(tn.jobs.wait(job.id, { timeoutMs: 0, pollMs: 10 })).rejects.toMatchObject({ name: "TensorNodeError", code: "wait_timeout" });
    await tn.jobs.wait(job.id, { timeoutMs: 30_000, pollMs: 100 });
  });

  it("subscribes over WebSocket: updates until the job succeeds, also for a job already finished", async () => {
    const job = await tn.jobs.submit("canary", { message: "hello sdk" });
    const seen: Job[] = [];
    for await (const update of tn.jobs.subscribe(job.id)) seen.push(update);
    expect(seen.at(-1)).toMatchObject({ id: job.id, status: "succeeded", result: { message: "hello sdk" } });

    const again: Job[] = [];
    for await (const update of tn.jobs.subscribe(job.id)) again.push(update);
    expect(again).toHaveLength(1);
    expect(again[0]!.status).toBe("succeeded");
  });

  it("subscribing to an unknown job is a NotFoundError", async () => {
    const error = await caught((async () => {
      for await (const _ of tn.jobs.subscribe("job_does_not_exist")) void _;
    })());
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ param: "jobId" });
  });
});

describe("WebSocket chat streams", () => {
  it("streams OpenAI chunks and ends with a usage chunk", async () => {
    const stream = await tn.stream.chat({ model: LLM, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 8 });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ total_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    expect(stream.usage).toEqual(last.usage);
    expect(stream.minerId).toBe(t.network.hedera.accounts.miners[0]!.accountId);
    expect(chunks.slice(0, -1).map((c) => c.choices[0]!.delta.content ?? "").join("").length).toBeGreaterThan(0);
  });

  it("multiplexes several streams on one connection and reports errors per stream", async () => {
    const socket = await tn.stream.connect();
    try {
      const a = socket.chat({ model: LLM, messages: [{ role: "user", content: "Once" }], max_tokens: 6 }, { clientId: "a" });
      const b = socket.chat({ model: LLM, messages: [{ role: "user", content: "The cat" }], max_tokens: 6 }, { clientId: "b" });
      const bad = socket.chat({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] });
      expect(() => socket.chat({ model: LLM, messages: [] }, { clientId: "a" })).toThrow(TensorNodeError);
      const [textA, textB, error] = await Promise.all([a.text(), b.text(), caught(bad.text())]);
      expect(textA.length).toBeGreaterThan(0);
      expect(textB.length).toBeGreaterThan(0);
      expect(a.usage!.total_tokens).toBeGreaterThan(0);
      expect(b.usage!.total_tokens).toBeGreaterThan(0);
      expect(error).toBeInstanceOf(NotFoundError);
      await expect(socket.chat({ model: LLM, messages: [] }).text()).rejects.toMatchObject({ name: "InvalidRequestError", param: "request.messages" });
    } finally {
      await socket.close();
    }
    await expect(socket.chat({ model: LLM, messages: [{ role: "user", content: "x" }] }).text()).rejects.toBeInstanceOf(ConnectionError);
  });

  it("a bad key is refused at the handshake with an AuthenticationError", async () => {
    await expect(client({ apiKey: "tn_not_a_real_key" }).stream.chat({ model: LLM, messages: [{ role: "user", content: "hi" }] })).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe("signed accounts, payment and rate limits", () => {
  const developer = () => t.network.hedera.accounts.validators[1]!;

  it("opens an account with a Hedera signature; before any deposit, inference is a PaymentRequiredError (HTTP and WebSocket)", async () => {
    const signer = { accountId: developer().accountId, privateKeyDer: developer().privateKey };
    const opened = await client({ signer }).openAccount({ keyName: "first" });
    expect(opened).toMatchObject({ object: "account", id: signer.accountId, balance: "0", deposit: { memo: signer.accountId }, api_key: { name: "first", status: "active" } });

    const again = await caught(client({ signer }).openAccount());
    expect(again).toBeInstanceOf(InvalidRequestError);
    expect(again).toMatchObject({ status: 409, code: "conflict" });

    const fresh = client({ apiKey: opened.api_key.secret });
    expect((await fresh.account()).balance).toBe("0");
    const unpaid = await caught(fresh.translations.create({ model: await modelFor("translation"), input: "hello", source_language: "en", target_language: "es" }));
    expect(unpaid).toBeInstanceOf(PaymentRequiredError);
    expect(unpaid).toMatchObject({ status: 402, type: "insufficient_quota", code: "payment_required" });
    await expect((await fresh.stream.chat({ model: LLM, messages: [{ role: "user", content: "hi" }] })).text()).rejects.toBeInstanceOf(PaymentRequiredError);

    // A signature by another account's key does not verify.
    const forged = client({ signer: { accountId: developer().accountId, privateKeyDer: t.network.hedera.accounts.validators[0]!.privateKey } });
    await expect(forged.openAccount()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it("a key over its rate limit is a RateLimitError with retryAfterSeconds", async () => {
    const limited = tn.withApiKey((await tn.keys.create({ name: "slow", rateLimitPerMinute: 1 })).secret);
    const request = { model: await modelFor("translation"), input: "hello", source_language: "en", target_language: "es" };
    await limited.translations.create(request);
    const error = await caught(limited.translations.create(request));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, type: "rate_limit_error" });
    expect((error as RateLimitError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it("an unreachable API is a ConnectionError", async () => {
    await expect(new TensorNode({ baseURL: "http://127.0.0.1:9" }).models.list()).rejects.toMatchObject({ name: "ConnectionError", code: "connection_failed" });
  });
});
