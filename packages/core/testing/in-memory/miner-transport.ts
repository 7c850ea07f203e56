import { MinerUnreachableError, type MinerReply, type MinerRequest, type MinerStreamReply, type MinerTransport } from "../../src/index.js";

/** What a miner answers to one request. */
export type ScriptedMinerReply =
  | {
      status?: number;
      contentType?: string;
      headers?: Record<string, string>;
      /** A string or bytes as is; anything else is sent as JSON. */
      body?: unknown;
      /** Server-Sent Events (or any body) in pieces, as `stream` delivers them; `send` joins them. */
      chunks?: Array<string | Uint8Array>;
      /** The connection drops after the chunks were delivered (a miner dying mid-stream). */
      dropAfterChunks?: boolean;
      /** Wait this long before the head arrives; past the request's `timeoutMs` it times out. */
      delayMs?: number;
    }
  | { unreachable: string; timedOut?: boolean; delayMs?: number };

export interface RecordedMinerCall {
  mode: "send" | "stream";
  request: MinerRequest;
  /** Streams only: whether the caller cancelled (released) the reply. */
  cancelled: boolean;
}

/**
 * A MinerTransport answering from a script per endpoint: each request takes the next reply, and
 * the last one repeats. An endpoint without a script is unreachable (connection refused). A
 * scripted delay longer than the request's `timeoutMs` times out after `timeoutMs`, as the HTTP
 * transport does. Records every call, in order.
 *
 * @example
 * ```ts
 * const transport = new ScriptedMinerTransport()
 *   .script("http://a", { status: 503 })
 *   .script("http://b", { body: { usage: { total_tokens: 12 } } });
 * ```
 */
export class ScriptedMinerTransport implements MinerTransport {
  readonly calls: RecordedMinerCall[] = [];
  readonly #scripts = new Map<string, ScriptedMinerReply[]>();

  script(endpoint: string, ...replies: ScriptedMinerReply[]): this {
    this.#scripts.set(endpoint, replies);
    return this;
  }

  /** The endpoints called, in order. */
  get endpoints(): string[] {
    return this.calls.map((call) => call.request.endpoint);
  }

  callsTo(endpoint: string): RecordedMinerCall[] {
    return this.calls.filter((call) => call.request.endpoint === endpoint);
  }

  async send(request: MinerRequest): Promise<MinerReply> {
    this.calls.push({ mode: "send", request, cancelled: false });
    const reply = await this.#head(request);
    const chunks = reply.chunks ?? [bodyBytes(reply.body)];
    if (reply.dropAfterChunks) throw new MinerUnreachableError("connection lost while reading the reply", false);
    return { ...headOf(reply), body: Buffer.concat(chunks.map(toBytes)) };
  }

  async stream(request: MinerRequest): Promise<MinerStreamReply> {
    const call: RecordedMinerCall = { mode: "stream", request, cancelled: false };
    this.calls.push(call);
    const reply = await this.#head(request);
    const chunks = (reply.chunks ?? [bodyBytes(reply.body)]).map(toBytes);
    async function* body(): AsyncIterable<Uint8Array> {
      for (const chunk of chunks) {
        if (call.cancelled) return;
        yield chunk;
      }
      if (reply.dropAfterChunks) throw new MinerUnreachableError("connection lost mid-stream", false);
    }
    return {
      ...headOf(reply),
      body: body(),
      cancel: () => {
        call.cancelled = true;
      },
    };
  }

  async #head(request: MinerRequest): Promise<Extract<ScriptedMinerReply, { status?: number }>> {
    const script = this.#scripts.get(request.endpoint);
    if (!script?.length) throw new MinerUnreachableError(`connect ECONNREFUSED ${request.endpoint}`, false);
    const reply = script.length > 1 ? script.shift()! : script[0]!;
    if (reply.delayMs !== undefined && reply.delayMs > 0) {
      if (reply.delayMs >= request.timeoutMs) {
        // Until the wall clock has truly moved on: timers may fire a millisecond early by Date.now().
        await sleepUntil(Date.now() + request.timeoutMs);
        throw new MinerUnreachableError(`no answer within ${request.timeoutMs} ms`, true);
      }
      await sleep(reply.delayMs);
    }
    if ("unreachable" in reply) throw new MinerUnreachableError(reply.unreachable, reply.timedOut ?? false);
    return reply;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sleepUntil(at: number): Promise<void> {
  while (Date.now() < at) await sleep(at - Date.now());
}

function headOf(reply: { status?: number; contentType?: string; headers?: Record<string, string>; chunks?: unknown }) {
  const contentType = reply.contentType ?? (reply.chunks ? "text/event-stream" : "application/json");
  return { status: reply.status ?? 200, contentType, headers: { "content-type": contentType, ...reply.headers } };
}

function bodyBytes(body: unknown): string | Uint8Array {
  if (body === undefined) return "";
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  return JSON.stringify(body);
}

const toBytes = (chunk: string | Uint8Array): Uint8Array => (typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);

