import { describe, expect, it } from "vitest";
import { COUNTED_TOKENS_PER_MESSAGE, COUNTED_TOKENS_PER_REPLY, countPromptTokens, countServedTokens, withUsage } from "../src/index.js";

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
    const reply = { choices: [{ message: { content: "hi" } }, { message: { content: null, tool_calls: [{ function: { name: "f", arguments: "{}" } }] } }, { text: "hi" }] };
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
  it("sets a JSON reply's usage to the count, and leaves a body that is not a JSON object as it is", () => {
    const usage = { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 };
    expect(JSON.parse(new TextDecoder().decode(withUsage(bytes({ id: "c1", usage: null }), usage)))).toEqual({ id: "c1", usage });
    expect(new TextDecoder().decode(withUsage(bytes("<html>"), usage))).toBe("<html>");
  });
});
