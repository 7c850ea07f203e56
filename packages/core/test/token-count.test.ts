import { describe, expect, it } from "vitest";
import { COUNTED_PIECE_CHARS, COUNTED_TOKENS_PER_MESSAGE, COUNTED_TOKENS_PER_REPLY, countPromptTokens, countServedTokens, countingPieces, withUsage } from "../src/index.js";

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));
const chat = (messages: unknown[], extra: object = {}) => bytes({ model: "m", messages, ...extra });
// Each of these words is one o200k_base token.
const FRAME = COUNTED_TOKENS_PER_MESSAGE + COUNTED_TOKENS_PER_REPLY;

describe("countPromptTokens", () => {
  it("counts each message's role and text, plus the chat format's tokens per message and for the reply", async () => {
    expect(await countPromptTokens(chat([{ role: "user", content: "hi" }]))).toBe(2 + FRAME);
    expect(await countPromptTokens(chat([{ role: "system", content: "hi" }, { role: "user", content: "hi" }]))).toBe(4 + 2 * COUNTED_TOKENS_PER_MESSAGE + COUNTED_TOKENS_PER_REPLY);
  });

  it("counts the text parts of multi-part content and leaves images out", async () => {
    const parts = [{ type: "text", text: "hi" }, { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }];
    expect(await countPromptTokens(chat([{ role: "user", content: parts }]))).toBe(2 + FRAME);
  });

  it("counts tool definitions and an assistant's tool calls", async () => {
    const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }];
    const without = (await countPromptTokens(chat([{ role: "user", content: "hi" }])))!;
    expect(await countPromptTokens(chat([{ role: "user", content: "hi" }], { tools }))).toBeGreaterThan(without + 5);
    const call = { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }] };
    expect(await countPromptTokens(chat([{ role: "user", content: "hi" }, call]))).toBeGreaterThan(without + COUNTED_TOKENS_PER_MESSAGE + 10);
  });

  it("counts a client's special-token text as text instead of failing", async () => {
    expect(await countPromptTokens(chat([{ role: "user", content: "<|endoftext|>" }]))).toBeGreaterThan(1 + FRAME);
  });

  it("has no count for a body that is not a JSON object", async () => {
    expect(await countPromptTokens(bytes("not json"))).toBeUndefined();
    expect(await countPromptTokens(bytes("[1]"))).toBeUndefined();
  });
});

describe("countServedTokens", () => {
  const request = chat([{ role: "user", content: "hi" }]);

  it("adds a chat reply's generated text: content, tool calls, legacy text, across choices", async () => {
    const reply = { choices: [{ message: { content: "hi", reasoning_content: "hi" } }, { message: { content: null, tool_calls: [{ function: { name: "f", arguments: "{}" } }] } }, { text: "hi" }] };
    const counted = (await countServedTokens("chat.completions", request, bytes(reply)))!;
    expect(counted.prompt_tokens).toBe(2 + FRAME);
    expect(counted.completion_tokens).toBeGreaterThanOrEqual(2 + 3);
    expect(counted.total_tokens).toBe(counted.prompt_tokens + counted.completion_tokens!);
    expect(await countServedTokens("chat.completions", request, bytes({ choices: [] }))).toEqual({ prompt_tokens: 2 + FRAME, completion_tokens: 0, total_tokens: 2 + FRAME });
  });

  it("counts embeddings inputs: strings by the tokenizer, token ids by their number", async () => {
    const total = async (input: unknown) => (await countServedTokens("embeddings", bytes({ model: "e", input }), bytes({ data: [] })))?.total_tokens;
    expect(await total("hi")).toBe(1);
    expect(await total(["hi", "hi"])).toBe(2);
    expect(await total([5, 6, 7])).toBe(3);
    expect(await total([[5, 6], [7]])).toBe(3);
    expect(await countServedTokens("embeddings", bytes({ model: "e", input: "hi" }), bytes({}))).toEqual({ prompt_tokens: 1, total_tokens: 1 });
  });

  it("has no count for other operations, or for bodies that are not JSON objects", async () => {
    expect(await countServedTokens("audio.speech", bytes({ input: "hi" }), bytes({}))).toBeUndefined();
    expect(await countServedTokens("chat.completions", request, bytes("null"))).toBeUndefined();
    expect(await countServedTokens("chat.completions", bytes("<html>"), bytes({ choices: [] }))).toBeUndefined();
    expect(await countServedTokens("embeddings", bytes({ model: "e", input: "hi" }), bytes("<html>"))).toBeUndefined();
  });
});

describe("withUsage", () => {
  const usage = { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 };
  const decoded = (body: Uint8Array) => new TextDecoder().decode(body);

  it("sets a JSON reply's usage to the count, and leaves a body that is not a JSON object as it is", () => {
    expect(JSON.parse(decoded(withUsage(bytes({ id: "c1", usage: null }), usage, 10)))).toEqual({ id: "c1", usage });
    expect(decoded(withUsage(bytes("<html>"), usage, 10))).toBe("<html>");
  });

  it("shows what was billed when the count passed the request's bound, taken off the completion first", () => {
    expect(JSON.parse(decoded(withUsage(bytes({ id: "c1" }), usage, 9))).usage).toEqual({ prompt_tokens: 8, completion_tokens: 1, total_tokens: 9 });
    expect(JSON.parse(decoded(withUsage(bytes({ id: "c1" }), usage, 5))).usage).toEqual({ prompt_tokens: 5, completion_tokens: 0, total_tokens: 5 });
  });

  it("leaves a reply too deeply nested to serialise again as the miner sent it", () => {
    const deep = `{"choices":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    expect(decoded(withUsage(bytes(deep), usage, 10))).toBe(deep);
  });
});

describe("counting long texts", () => {
  it("counts a long run without spaces in linear time (byte-pair encoding is quadratic in a run's length)", { timeout: 10_000 }, async () => {
    // 200 000 letters in one piece take ~20 s here; in pieces, well under a second.
    const counted = (await countPromptTokens(chat([{ role: "user", content: "a".repeat(200_000) }])))!;
    expect(counted).toBeGreaterThan(200_000 / COUNTED_PIECE_CHARS);
    expect(counted).toBeLessThan(200_000);
  });

  it("lets other work run while it counts a long text", async () => {
    await countPromptTokens(chat([{ role: "user", content: "warm up the tokenizer" }]));
    let ticked = false;
    setTimeout(() => (ticked = true), 0);
    const tickedBeforeTheEnd = await countPromptTokens(chat([{ role: "user", content: "word ".repeat(50_000) }])).then(() => ticked);
    expect(tickedBeforeTheEnd).toBe(true);
  });

  it("cuts texts into pieces of at most COUNTED_PIECE_CHARS, at a space where there is one, never inside a surrogate pair", () => {
    const text = `${"word ".repeat(100)}${"😀".repeat(300)}`;
    const parts = [...countingPieces(text)];
    expect(parts.join("")).toBe(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(COUNTED_PIECE_CHARS);
      expect(part.charCodeAt(part.length - 1)).not.toSatisfy((code: number) => code >= 0xd800 && code <= 0xdbff);
    }
    expect(parts[0]!.endsWith("word")).toBe(true);
    expect([...countingPieces("short")]).toEqual(["short"]);
  });
});
