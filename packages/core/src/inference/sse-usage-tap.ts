/** Token counts as the OpenAI wire format reports them. */
export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * Watches a chat completion's Server-Sent Events as they pass through, to meter the stream: it
 * keeps the `usage` the miner sends in its last chunk (the gateway always asks for it) and, when the
 * client did not ask for usage itself, drops that usage-only chunk so the client sees exactly the
 * stream it requested. Events are forwarded whole, as soon as their terminating blank line arrives.
 */
export class SseUsageTap {
  #buffer = "";
  readonly #decoder = new TextDecoder();
  readonly #encoder = new TextEncoder();
  usage: TokenUsage | undefined;
  /**
   * Chunks that carried generated text (a non-empty `content`, or tool-call `arguments`): the
   * completion's token count when the miner sends no usage (engines stream one token per chunk; a
   * role-only opening chunk is not one).
   */
  contentChunks = 0;
  /**
   * A usage-only chunk whose usage is null (a miner that could not count), held with what follows it
   * while that is only `[DONE]`: if it is the stream's last word, `releaseHeld` sends it on with the
   * gateway's count (or drops it, if the client did not ask for usage). Any other event after it
   * shows it was not (an engine that opens with an empty-choices chunk), and it goes on as it came.
   */
  #heldUsageEvent: string | undefined;
  #heldAfter = "";
  #pendingCr = false;

  constructor(private readonly forwardUsageChunk: boolean) {}

  /** Whether a usage chunk waits for the end of the stream (see `releaseHeld`). */
  get holdsUsageChunk(): boolean {
    return this.#heldUsageEvent !== undefined;
  }

  /**
   * At the end of the stream: the held usage chunk with `usage` set (as it came without one; nothing
   * if the client did not ask for usage), then what was held after it.
   */
  releaseHeld(usage: object | undefined): Uint8Array {
    if (this.#heldUsageEvent === undefined) return EMPTY;
    let event = this.forwardUsageChunk ? this.#heldUsageEvent : "";
    if (event && usage) {
      try {
        event = `data: ${JSON.stringify({ ...(JSON.parse(sseData(event)) as object), usage })}\n\n`;
      } catch {
        // not JSON after all: sent on as it came
      }
    }
    const out = event + this.#heldAfter;
    this.#heldUsageEvent = undefined;
    this.#heldAfter = "";
    return out ? this.#encoder.encode(out) : EMPTY;
  }

  /** Bytes in from the miner → bytes out to the client (possibly empty while an event is incomplete). */
  push(chunk: Uint8Array): Uint8Array {
    // Fast path, the usual case: whole events, LF line ends, no usage in them: pass the very bytes on
    // (no decoding and re-encoding on the way to the client's first token).
    if (this.#buffer === "" && !this.#pendingCr && this.#heldUsageEvent === undefined && endsWithBlankLine(chunk) && !contains(chunk, USAGE) && !contains(chunk, CR)) {
      this.contentChunks += generatedCount(chunk);
      return chunk;
    }
    // SSE allows CRLF line ends; normalising to LF keeps one event boundary to look for. A CR that ends
    // a network chunk waits for the next one, which may start with its LF.
    let text = (this.#pendingCr ? "\r" : "") + this.#decoder.decode(chunk, { stream: true });
    this.#pendingCr = text.endsWith("\r");
    if (this.#pendingCr) text = text.slice(0, -1);
    this.#buffer += text.replace(/\r\n?/g, "\n");
    let out = "";
    for (let end = this.#buffer.indexOf("\n\n"); end !== -1; end = this.#buffer.indexOf("\n\n")) {
      const event = this.#buffer.slice(0, end + 2);
      this.#buffer = this.#buffer.slice(end + 2);
      out += this.#pass(event);
    }
    return out ? this.#encoder.encode(out) : EMPTY;
  }

  /** Whatever is left at the end of the stream (an unterminated last event is passed on as is). */
  end(): Uint8Array {
    const rest = this.#buffer + ((this.#pendingCr ? "\r" : "") + this.#decoder.decode()).replace(/\r\n?/g, "\n");
    this.#buffer = "";
    this.#pendingCr = false;
    const out = rest ? this.#pass(rest) : "";
    return out ? this.#encoder.encode(out) : EMPTY;
  }

  /** What of one whole event goes to the client now (with whatever was held, if it shows the hold was wrong). */
  #pass(event: string): string {
    if (/"(?:content|arguments)"\s*:\s*"[^"]/.test(event)) this.contentChunks++;
    return this.#route(event);
  }

  #route(event: string): string {
    if (this.#heldUsageEvent !== undefined) {
      const data = sseData(event);
      if (data === "[DONE]" || data === "") {
        this.#heldAfter += event;
        return "";
      }
      // Followed by a usage chunk with a count, it was a usage-only chunk too: hidden like that one if not asked for.
      const hidden = !this.forwardUsageChunk && /"usage"\s*:\s*\{/.test(event);
      const held = (hidden ? "" : this.#heldUsageEvent) + this.#heldAfter;
      this.#heldUsageEvent = undefined;
      this.#heldAfter = "";
      return held + this.#route(event);
    }
    if (!/"usage"\s*:\s*\{/.test(event)) {
      // Not parsed: OpenAI-style engines put `"usage":null` in every chunk once usage is asked for.
      if (/"usage"\s*:\s*null/.test(event) && /"choices"\s*:\s*\[\s*\]/.test(event)) {
        this.#heldUsageEvent = event;
        return "";
      }
      return event;
    }
    const data = sseData(event);
    try {
      const parsed = JSON.parse(data) as { usage?: TokenUsage | null; choices?: unknown[] };
      if (parsed.usage) this.usage = parsed.usage;
      return this.forwardUsageChunk || (parsed.choices?.length ?? 0) > 0 ? event : "";
    } catch {
      return event;
    }
  }
}

/** The `data:` payload of one Server-Sent Event (its data lines joined). */
export function sseData(event: string): string {
  return event
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trimStart())
    .join("\n");
}

const EMPTY = new Uint8Array(0);
const USAGE = Buffer.from('"usage"');
const CONTENT = Buffer.from('"content"');
const ARGUMENTS = Buffer.from('"arguments"');
const CR = Buffer.from("\r");

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const contains = (bytes: Uint8Array, needle: Buffer) => asBuffer(bytes).indexOf(needle) !== -1;
const endsWithBlankLine = (bytes: Uint8Array) => bytes.length >= 2 && bytes[bytes.length - 1] === 0x0a && bytes[bytes.length - 2] === 0x0a;

/** How many `"content"` and `"arguments"` keys in the bytes hold a non-empty string (`"content": "x…"`). */
const generatedCount = (bytes: Uint8Array) => nonEmptyStrings(asBuffer(bytes), CONTENT) + nonEmptyStrings(asBuffer(bytes), ARGUMENTS);

function nonEmptyStrings(buffer: Buffer, key: Buffer): number {
  let n = 0;
  for (let at = buffer.indexOf(key); at !== -1; at = buffer.indexOf(key, at + key.length)) {
    let i = at + key.length;
    while (buffer[i] === 0x20 || buffer[i] === 0x09 || buffer[i] === 0x0a || buffer[i] === 0x0d || buffer[i] === 0x3a) i++; // JSON whitespace and the colon
    if (buffer[i] === 0x22 && buffer[i + 1] !== 0x22) n++; // an opening quote, not an empty string
  }
  return n;
}
