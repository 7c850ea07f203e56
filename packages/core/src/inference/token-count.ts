import type { OperationName } from "./operations.js";

/**
 * Token counts the gateway makes itself, for a reply whose miner reported no usable `usage` (an
 * upstream engine that leaves it out, a stream that ended without its usage chunk). Billing such a
 * request nothing would serve it free and leave its miner unpaid, so the gateway counts the prompt
 * and the completion with the `o200k_base` tokenizer (gpt-tokenizer), the fallback LiteLLM uses
 * too. It is not the serving model's own tokenizer, so the count is an estimate; the bill is still
 * capped by the request's bound. The tokenizer (2.4 MB, ~35 MB of heap) loads on first use only,
 * so requests whose miners report usage never pay for it.
 */

interface Tokenizer {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

let tokenizer: Promise<Tokenizer> | undefined;
function load(): Promise<Tokenizer> {
  // A failed load is not kept: the next count tries again.
  tokenizer ??= (import("gpt-tokenizer/encoding/o200k_base") as Promise<Tokenizer>).catch((error: unknown) => {
    tokenizer = undefined;
    throw error;
  });
  return tokenizer;
}

/** Tokens a chat format adds per message (role markers) and once for the reply's priming, as OpenAI counts them. */
export const COUNTED_TOKENS_PER_MESSAGE = 3;
export const COUNTED_TOKENS_PER_REPLY = 3;

/** Text is counted as text: a client's "<|endoftext|>" is its words, not a control token. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * Byte-pair encoding is quadratic in the length of a run without spaces or punctuation (40 000
 * letters "a" take ~1 s, 160 000 take ~15 s), and the texts come from clients and miners. So text is
 * counted in pieces of at most this many characters, cut at a space where there is one; a cut can add
 * a token, so long unbroken runs count slightly high.
 */
export const COUNTED_PIECE_CHARS = 256;

export function* countingPieces(text: string): Generator<string> {
  let start = 0;
  while (text.length - start > COUNTED_PIECE_CHARS) {
    let end = start + COUNTED_PIECE_CHARS;
    const space = text.lastIndexOf(" ", end);
    if (space > start + COUNTED_PIECE_CHARS / 2) end = space;
    // Never between the two halves of a surrogate pair.
    else if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
    yield text.slice(start, end);
    start = end;
  }
  yield text.slice(start);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Pieces counted between yields to the event loop: a 1 MB prompt takes ~0.1 s, and other requests should not wait it out. */
const PIECES_PER_TURN = 64;

async function tokens(texts: string[]): Promise<number> {
  const { countTokens } = await load();
  let total = 0;
  let pieces = 0;
  for (const text of texts) {
    if (!text) continue;
    for (const piece of countingPieces(text)) {
      total += countTokens(piece, AS_TEXT);
      if (++pieces % PIECES_PER_TURN === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  return total;
}

type Json = Record<string, unknown>;

function parse(bytes: Uint8Array): Json | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

const json = (value: unknown) => (value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value));

/** The texts a chat request's prompt renders: each message's strings and the tool definitions. */
function promptTexts(request: Json): { texts: string[]; messages: number } {
  const texts = [json(request.tools), json(request.functions), json(request.response_format)];
  const messages = Array.isArray(request.messages) ? (request.messages as unknown[]) : [];
  for (const message of messages) {
    if (message === null || typeof message !== "object") continue;
    const { content, ...rest } = message as Json;
    for (const value of Object.values(rest)) texts.push(json(value));
    if (typeof content === "string") texts.push(content);
    else if (Array.isArray(content)) for (const part of content as Array<{ text?: unknown }>) if (typeof part?.text === "string") texts.push(part.text);
  }
  return { texts, messages: messages.length };
}

/** The texts a chat completion generated: each choice's content and tool calls (or a legacy `text`). */
function completionTexts(reply: Json): string[] {
  const texts: string[] = [];
  for (const choice of Array.isArray(reply.choices) ? (reply.choices as Json[]) : []) {
    const message = (choice?.message ?? {}) as Json;
    texts.push(json(message.content), json(message.reasoning_content), json(message.reasoning), json(message.tool_calls), json(message.function_call), typeof choice?.text === "string" ? choice.text : "");
  }
  return texts;
}

/** Tokens of a chat request's prompt, counted by the gateway. */
export async function countPromptTokens(requestBody: Uint8Array): Promise<number | undefined> {
  const request = parse(requestBody);
  if (!request) return undefined;
  const { texts, messages } = promptTexts(request);
  return (await tokens(texts)) + messages * COUNTED_TOKENS_PER_MESSAGE + COUNTED_TOKENS_PER_REPLY;
}

/** A count the gateway made, in the shape of OpenAI's `usage` (embeddings have no completion). */
export interface CountedUsage {
  prompt_tokens: number;
  completion_tokens?: number;
  total_tokens: number;
}

/**
 * Tokens of a served request the gateway can count without the miner: a chat's prompt and
 * completion, or an embeddings request's inputs (token-id inputs count as their length).
 * Undefined for other operations, or when the bodies are not what they should be.
 */
export async function countServedTokens(operation: OperationName, requestBody: Uint8Array, replyBody: Uint8Array): Promise<CountedUsage | undefined> {
  if (operation === "chat.completions") {
    const prompt = await countPromptTokens(requestBody);
    const reply = parse(replyBody);
    if (prompt === undefined || !reply) return undefined;
    const completion = await tokens(completionTexts(reply));
    return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  }
  if (operation === "embeddings") {
    const request = parse(requestBody);
    if (!request || !parse(replyBody)) return undefined;
    const inputs = ([] as unknown[]).concat(request.input);
    // One array of token ids is one input; an array of them is several.
    if (inputs.every((input) => typeof input === "number")) return { prompt_tokens: inputs.length, total_tokens: inputs.length };
    const ids = inputs.reduce((n: number, input) => n + (Array.isArray(input) ? input.length : 0), 0);
    const total = ids + (await tokens(inputs.filter((input): input is string => typeof input === "string")));
    return { prompt_tokens: total, total_tokens: total };
  }
  return undefined;
}

/**
 * The count as the client is shown it, which is what it was billed for: a count past the request's
 * bound (a miner that generated more than it was asked for) shows the bound, taken off the completion first.
 */
export function billedUsage(usage: CountedUsage, billedTokens: number): CountedUsage {
  if (usage.total_tokens <= billedTokens) return usage;
  const prompt = Math.min(usage.prompt_tokens, billedTokens);
  return { prompt_tokens: prompt, ...(usage.completion_tokens !== undefined && { completion_tokens: billedTokens - prompt }), total_tokens: billedTokens };
}

/** A JSON reply with the gateway's count as its `usage` (see `billedUsage`). */
export function withUsage(replyBody: Uint8Array, usage: CountedUsage, billedTokens: number): Uint8Array {
  const reply = parse(replyBody);
  if (!reply) return replyBody;
  try {
    return new TextEncoder().encode(JSON.stringify({ ...reply, usage: billedUsage(usage, billedTokens) }));
  } catch {
    return replyBody; // nested too deeply to serialise again: the miner's bytes as they came
  }
}
