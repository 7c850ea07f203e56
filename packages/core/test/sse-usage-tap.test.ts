import { describe, expect, it } from "vitest";
import { SseUsageTap } from "../src/index.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytes = (text: string) => encoder.encode(text);
const text = (data: Uint8Array) => decoder.decode(data);

const event = (payload: unknown) => `data: ${typeof payload === "string" ? payload : JSON.stringify(payload)}\n\n`;
const contentEvent = (content: string) => event({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content } }] });
const stopEvent = event({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: null });
const USAGE = { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 };
const usageEvent = event({ id: "c1", object: "chat.completion.chunk", choices: [], usage: USAGE });
const DONE = event("[DONE]");

/** Pushes every chunk through the tap, then ends it; returns what the client received. */
function pipe(tap: SseUsageTap, chunks: string[]): string {
  return chunks.map((chunk) => text(tap.push(bytes(chunk)))).join("") + text(tap.end());
}

describe("SseUsageTap", () => {
  it("keeps the usage of the last chunk and drops that usage-only chunk when the client did not ask for it", () => {
    // Prepare
    const tap = new SseUsageTap(false);
    // Act
    const out = pipe(tap, [contentEvent("Hel"), contentEvent("lo"), stopEvent, usageEvent, DONE]);
    // Assess
    expect(out).toBe(contentEvent("Hel") + contentEvent("lo") + stopEvent + DONE);
    expect(tap.usage).toEqual(USAGE);
    expect(tap.contentChunks).toBe(2);
  });

  it("forwards the usage-only chunk when the client asked for usage", () => {
    const tap = new SseUsageTap(true);
    const out = pipe(tap, [contentEvent("Hi"), stopEvent, usageEvent, DONE]);
    expect(out).toBe(contentEvent("Hi") + stopEvent + usageEvent + DONE);
    expect(tap.usage).toEqual(USAGE);
  });

  it("keeps a chunk that carries choices as well as usage", () => {
    const tap = new SseUsageTap(false);
    const both = event({ choices: [{ index: 0, delta: { content: "!" }, finish_reason: "stop" }], usage: USAGE });
    expect(pipe(tap, [both])).toBe(both);
    expect(tap.usage).toEqual(USAGE);
    expect(tap.contentChunks).toBe(1);
  });

  it("ignores `usage: null` on ordinary chunks", () => {
    const tap = new SseUsageTap(false);
    expect(pipe(tap, [stopEvent])).toBe(stopEvent);
    expect(tap.usage).toBeUndefined();
  });

  it("forwards an event only once its blank line has arrived, whole", () => {
    // Prepare
    const tap = new SseUsageTap(false);
    const whole = contentEvent("split");
    // Act
    const first = text(tap.push(bytes(whole.slice(0, 10))));
    const second = text(tap.push(bytes(whole.slice(10, -1))));
    const third = text(tap.push(bytes(whole.slice(-1))));
    // Assess
    expect([first, second, third]).toEqual(["", "", whole]);
    expect(tap.contentChunks).toBe(1);
  });

  it("sees a usage chunk split across reads", () => {
    const tap = new SseUsageTap(false);
    const out = pipe(tap, [usageEvent.slice(0, 30), usageEvent.slice(30, 60), usageEvent.slice(60) + DONE]);
    expect(out).toBe(DONE);
    expect(tap.usage).toEqual(USAGE);
  });

  it("forwards several events from one read", () => {
    const tap = new SseUsageTap(false);
    const read = contentEvent("a") + contentEvent("b") + usageEvent;
    expect(text(tap.push(bytes(read)))).toBe(contentEvent("a") + contentEvent("b"));
    expect(tap.contentChunks).toBe(2);
  });

  it("decodes a multi-byte character split between reads", () => {
    // Prepare
    const tap = new SseUsageTap(false);
    const whole = bytes(contentEvent("héllo ✓"));
    const cut = whole.indexOf(0xc3) + 1; // inside "é"
    // Act
    const out = text(tap.push(whole.slice(0, cut))) + text(tap.push(whole.slice(cut))) + text(tap.end());
    // Assess
    expect(out).toBe(contentEvent("héllo ✓"));
  });

  it("passes on an unterminated last event at the end", () => {
    const tap = new SseUsageTap(false);
    expect(pipe(tap, [contentEvent("a"), "data: [DONE]"])).toBe(contentEvent("a") + "data: [DONE]");
  });

  it("still reads (and drops) an unterminated usage-only event at the end", () => {
    const tap = new SseUsageTap(false);
    expect(pipe(tap, [contentEvent("a"), usageEvent.trimEnd()])).toBe(contentEvent("a"));
    expect(tap.usage).toEqual(USAGE);
  });

  it("forwards an event that looks like usage but is not JSON, and counts nothing from it", () => {
    const tap = new SseUsageTap(false);
    const odd = 'data: {"usage":{ broken\n\n';
    expect(pipe(tap, [odd])).toBe(odd);
    expect(tap.usage).toBeUndefined();
  });

  it("ends with nothing when nothing is left", () => {
    const tap = new SseUsageTap(false);
    tap.push(bytes(contentEvent("a")));
    expect(tap.end()).toHaveLength(0);
  });

  it("passes whole events without usage on as the very same bytes (the first-token fast path), still counting content", () => {
    const tap = new SseUsageTap(false);
    const chunk = bytes(contentEvent("a") + contentEvent("b"));
    expect(tap.push(chunk)).toBe(chunk);
    expect(tap.contentChunks).toBe(2);
    // A partial event then switches to the careful path, and nothing is lost or duplicated.
    const partial = bytes(contentEvent("c"));
    expect(tap.push(partial.subarray(0, 10))).toHaveLength(0);
    expect(text(tap.push(partial.subarray(10)))).toBe(contentEvent("c"));
  });

  it("reads CRLF line ends split between network chunks as one line end (an event is not cut in two)", () => {
    const tap = new SseUsageTap(false);
    const out = pipe(tap, ['data: {"choices":[{"delta":{"content":"a"}}],\r', '\ndata: "usage":null}\r\n\r', "\n", "data: [DONE]\r\n\r\n"]);
    expect(out).toBe('data: {"choices":[{"delta":{"content":"a"}}],\ndata: "usage":null}\n\n' + DONE);
    expect(tap.contentChunks).toBe(1);
  });

  it("does not count an opening chunk whose content is empty (a role-only delta) as a token, on either path", () => {
    const opening = event({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { role: "assistant", content: "" } }] });
    const fast = new SseUsageTap(false);
    fast.push(bytes(opening + contentEvent("a") + `data: {"choices":[{"delta":{"content": "b"}}]}\n\n`));
    expect(fast.contentChunks).toBe(2);
    const careful = new SseUsageTap(false);
    pipe(careful, [opening.slice(0, 5), opening.slice(5), contentEvent("a")]);
    expect(careful.contentChunks).toBe(1);
  });

  it("counts tool-call argument chunks as generated, and JSON whitespace (tabs) after the colon on the fast path", () => {
    const tap = new SseUsageTap(false);
    const call = event({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] } }] });
    tap.push(bytes(call + `data: {"choices":[{"delta":{"content":\t"x"}}]}\n\n`));
    expect(tap.contentChunks).toBe(2);
  });

  it("keeps chunks that carry choices and `usage: null` (OpenAI sends it on every chunk once usage is asked for)", () => {
    const tap = new SseUsageTap(false);
    const withNull = event({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "a" } }], usage: null });
    expect(pipe(tap, [withNull, withNull, DONE])).toBe(withNull + withNull + DONE);
    expect(tap.contentChunks).toBe(2);
    expect(tap.usage).toBeUndefined();
  });

  describe("a usage-only chunk with usage null (a miner that could not count)", () => {
    const nullUsage = event({ id: "c1", object: "chat.completion.chunk", choices: [], usage: null });

    it("is held with [DONE] at the end of a stream: dropped if the client did not ask for usage", () => {
      const tap = new SseUsageTap(false);
      expect(pipe(tap, [contentEvent("a"), nullUsage, DONE])).toBe(contentEvent("a"));
      expect(tap.holdsUsageChunk).toBe(true);
      expect(text(tap.releaseHeld(undefined))).toBe(DONE);
      expect(tap.usage).toBeUndefined();
    });

    it("is sent on with the gateway's count if the client asked for usage, or as it came without one", () => {
      const tap = new SseUsageTap(true);
      expect(pipe(tap, [contentEvent("a"), nullUsage, DONE])).toBe(contentEvent("a"));
      expect(text(tap.releaseHeld(USAGE))).toBe(event({ id: "c1", object: "chat.completion.chunk", choices: [], usage: USAGE }) + DONE);
      expect(tap.holdsUsageChunk).toBe(false);
      const uncounted = new SseUsageTap(true);
      pipe(uncounted, [nullUsage, DONE]);
      expect(text(uncounted.releaseHeld(undefined))).toBe(nullUsage + DONE);
    });

    it("goes on as it came, in order, when an event other than [DONE] follows it (an engine opening with empty choices)", () => {
      for (const asked of [false, true]) {
        const tap = new SseUsageTap(asked);
        expect(pipe(tap, [nullUsage, contentEvent("a"), contentEvent("b")])).toBe(nullUsage + contentEvent("a") + contentEvent("b"));
        expect(tap.holdsUsageChunk).toBe(false);
        expect(tap.contentChunks).toBe(2);
      }
    });

    it("does not hide a real usage chunk that follows it", () => {
      const tap = new SseUsageTap(true);
      expect(pipe(tap, [contentEvent("a"), nullUsage, usageEvent, DONE])).toBe(contentEvent("a") + nullUsage + usageEvent + DONE);
      expect(tap.usage).toEqual(USAGE);
      expect(tap.holdsUsageChunk).toBe(false);
      const notAsked = new SseUsageTap(false);
      expect(pipe(notAsked, [contentEvent("a"), nullUsage, usageEvent, DONE])).toBe(contentEvent("a") + DONE);
      expect(notAsked.usage).toEqual(USAGE);
    });
  });
});
