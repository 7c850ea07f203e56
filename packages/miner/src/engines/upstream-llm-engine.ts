import { DomainError } from "@tensornode/core";
import { EngineInputError, type ChatMessage, type GenerationParams, type GenerationResult, type LoadResult, type TextGenerationEngine } from "./engine.js";

export interface UpstreamLlmEngineOptions {
  /** The upstream's base URL, with or without a trailing `/v1` (`http://127.0.0.1:8000` and `http://127.0.0.1:8000/v1` are the same). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>` on every upstream request. */
  apiKey?: string;
  /** The id clients send as `model`. Default: `upstreamModel`. */
  modelId?: string;
  /**
   * The upstream's name for the model. Default: `modelId`; with neither, `load()` takes the one
   * model the upstream lists (and fails when it lists several).
   */
  upstreamModel?: string;
  /** Advertised in `/v1/models`; the upstream enforces its own window (its 400 is passed on). */
  contextSize: number;
  /** Longest wait for a whole answer, or, streaming, for the first piece and then between two pieces. */
  timeoutMs: number;
}

/** What the upstream's chunks and answers may hold; every field is treated as untrusted. */
interface UpstreamChoice {
  text?: unknown;
  message?: { content?: unknown };
  delta?: { content?: unknown };
  finish_reason?: unknown;
}
interface UpstreamBody {
  choices?: UpstreamChoice[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  error?: { message?: unknown; code?: unknown; param?: unknown } | string;
  data?: Array<{ id?: unknown }>;
}

type Kind = "chat" | "completion";

const LOAD_TIMEOUT_MS = 10_000;

/**
 * The LLM served by an upstream OpenAI-compatible server (vLLM, Ollama, llama.cpp's `llama-server`,
 * another TensorNode miner) at a base URL: `chat` and `complete` are forwarded to
 * `/v1/chat/completions` and `/v1/completions` with the miner's sampling parameters and the
 * upstream's model name. Connections are kept alive by Node's fetch (undici's global pool).
 *
 * - Streaming: with `onText` the request is made with `stream: true` and
 *   `stream_options.include_usage`, and every upstream delta is passed on as it arrives.
 * - Usage is the upstream's `usage` as reported; an upstream that reports none leaves the counts
 *   out, the reply says `usage: null`, and the gateway counts the tokens with its own tokenizer.
 * - Aborting `signal` cancels the upstream request (the upstream sees the connection close) and
 *   returns the text received so far, with the usage known so far (none, usually).
 * - Errors: unreachable, cut off, timed out or 5xx → `upstream_failed` (502), 503 →
 *   `unavailable` (503), 429 → `rate_limited` (429, its `Retry-After` kept), 401/403/404 (the
 *   miner's key or model name is wrong, not the caller's request) → 502, any other 4xx → an
 *   `EngineInputError` (400) with the upstream's message, code and param.
 */
export class UpstreamLlmEngine implements TextGenerationEngine {
  readonly modality = "llm" as const;
  readonly contextSize: number;
  private readonly base: string;
  private upstreamModel: string | undefined;
  private advertised: string | undefined;

  constructor(private readonly options: UpstreamLlmEngineOptions) {
    this.base = options.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.contextSize = options.contextSize;
    this.upstreamModel = options.upstreamModel ?? options.modelId;
    this.advertised = options.modelId ?? options.upstreamModel;
  }

  get modelIds(): readonly string[] {
    return this.advertised ? [this.advertised] : [];
  }

  details(): Record<string, unknown> {
    return { backend: "openai-upstream" };
  }

  /** Checks that the upstream answers `GET /v1/models` and, when it lists models, lists ours. */
  async load(): Promise<LoadResult> {
    const url = `${this.base}/v1/models`;
    let response: Response;
    try {
      response = await fetch(url, { headers: this.headers(), signal: AbortSignal.timeout(Math.min(this.options.timeoutMs, LOAD_TIMEOUT_MS)) });
    } catch (error) {
      return { ok: false, reason: `upstream LLM server ${url} is not reachable: ${causeOf(error)} (set llm.upstream.baseUrl or --llm-upstream)` };
    }
    const body = (await response.json().catch(() => null)) as UpstreamBody | null;
    // A server without a model list is accepted when the model's name is known; the first request will tell.
    if (response.status === 404 && this.upstreamModel) return { ok: true };
    if (!response.ok) {
      const hint = response.status === 401 || response.status === 403 ? " (check llm.upstream.apiKey / TENSORNODE_LLM_UPSTREAM_KEY)" : "";
      return { ok: false, reason: `upstream LLM server ${url} answered ${response.status}: ${messageOf(body) ?? response.statusText}${hint}` };
    }
    const listed = Array.isArray(body?.data) ? body.data.map((m) => m.id).filter((id): id is string => typeof id === "string") : null;
    if (!listed) {
      return this.upstreamModel ? { ok: true } : { ok: false, reason: `upstream LLM server ${url} lists no models; set llm.upstream.model or --llm-upstream-model` };
    }
    if (!this.upstreamModel) {
      if (listed.length !== 1) return { ok: false, reason: `upstream LLM server ${url} serves ${listed.length === 0 ? "no models" : listed.join(", ")}; choose one with llm.upstream.model or --llm-upstream-model` };
      this.upstreamModel = listed[0]!;
      this.advertised ??= this.upstreamModel;
      return { ok: true };
    }
    if (!listed.includes(this.upstreamModel)) {
      return { ok: false, reason: `upstream LLM server ${url} does not serve the model '${this.upstreamModel}'; it serves: ${listed.join(", ") || "nothing"} (set llm.upstream.model or --llm-upstream-model)` };
    }
    return { ok: true };
  }

  async close(): Promise<void> {}

  complete(prompt: string, params: GenerationParams): Promise<GenerationResult> {
    return this.generate("completion", { prompt }, params);
  }

  chat(messages: ChatMessage[], params: GenerationParams): Promise<GenerationResult> {
    return this.generate("chat", { messages }, params);
  }

  private headers(): Record<string, string> {
    return { accept: "application/json", ...(this.options.apiKey && { authorization: `Bearer ${this.options.apiKey}` }) };
  }

  private async generate(kind: Kind, input: { prompt: string } | { messages: ChatMessage[] }, params: GenerationParams): Promise<GenerationResult> {
    const model = this.upstreamModel;
    if (!model) throw new DomainError("unavailable", "The upstream LLM engine is not loaded.");
    const stream = params.onText !== undefined;
    const body = {
      model,
      ...input,
      max_tokens: params.maxTokens,
      temperature: params.temperature,
      top_p: params.topP,
      ...(params.seed !== undefined && { seed: params.seed }),
      ...(params.stop.length > 0 && { stop: params.stop }),
      ...(params.frequencyPenalty !== 0 && { frequency_penalty: params.frequencyPenalty }),
      ...(params.presencePenalty !== 0 && { presence_penalty: params.presencePenalty }),
      ...(stream && { stream: true, stream_options: { include_usage: true } }),
    };
    // One controller for the caller's abort and the idle timeout, so both cancel the socket.
    const controller = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.options.timeoutMs);
    };
    const onAbort = () => controller.abort();
    params.signal?.addEventListener("abort", onAbort, { once: true });
    if (params.signal?.aborted) controller.abort();

    const state: Partial<GenerationResult> & { text: string } = { text: "" };
    const failed = (error: unknown, during: string): Error => {
      if (error instanceof DomainError || error instanceof EngineInputError) return error;
      if (timedOut) return new DomainError("upstream_failed", `The upstream LLM server sent nothing for ${this.options.timeoutMs} ms (${during}).`);
      // The error code only (ECONNREFUSED, terminated...): the upstream's address is not the caller's business.
      return new DomainError("upstream_failed", `The upstream LLM server failed ${during}: ${causeOf(error, false)}.`);
    };
    const aborted = () => params.signal?.aborted === true && !timedOut;

    arm();
    try {
      let response: Response;
      try {
        response = await fetch(`${this.base}/v1/${kind === "chat" ? "chat/completions" : "completions"}`, {
          method: "POST",
          headers: { ...this.headers(), "content-type": "application/json", ...(stream && { accept: "text/event-stream" }) },
          body: JSON.stringify(body),
          signal: controller.signal,
        });
      } catch (error) {
        if (aborted()) return finish(state);
        throw failed(error, "before answering");
      }
      if (!response.ok) {
        const answer = (await response.json().catch(() => null)) as UpstreamBody | null;
        throw upstreamError(response, answer);
      }
      try {
        if (stream) {
          arm();
          await readStream(response, kind, state, controller.signal, (delta) => {
            arm();
            params.onText!(delta);
          });
        } else {
          const answer = (await response.json()) as UpstreamBody;
          const choice = answer.choices?.[0];
          const content = kind === "chat" ? choice?.message?.content : choice?.text;
          state.text = typeof content === "string" ? content : "";
          absorb(state, answer, choice);
        }
      } catch (error) {
        if (aborted()) return finish(state);
        throw failed(error, "mid-response");
      }
      return finish(state);
    } finally {
      clearTimeout(timer);
      params.signal?.removeEventListener("abort", onAbort);
    }
  }
}

/** Reads `data:` events until `[DONE]`; an upstream `error` event or an early end is a failure. */
async function readStream(response: Response, kind: Kind, state: Partial<GenerationResult> & { text: string }, signal: AbortSignal, onText: (delta: string) => void): Promise<void> {
  if (!response.body) throw new Error("the streamed answer has no body");
  const decoder = new TextDecoder();
  let buffer = "";
  let done = false;
  const reader = response.body.getReader();
  try {
    while (!done) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += decoder.decode(value, { stream: true });
      let end: RegExpExecArray | null;
      while (!done && (end = /\r?\n\r?\n/.exec(buffer))) {
        const event = buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end[0].length);
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).replace(/^ /, ""))
          .join("\n");
        if (data === "") continue;
        if (data === "[DONE]") {
          done = true;
          break;
        }
        const chunk = JSON.parse(data) as UpstreamBody;
        if (chunk.error) throw new DomainError("upstream_failed", `The upstream LLM server failed mid-response: ${messageOf(chunk) ?? "unknown error"}.`);
        const choice = chunk.choices?.[0];
        const delta = kind === "chat" ? choice?.delta?.content : choice?.text;
        if (typeof delta === "string" && delta !== "") {
          state.text += delta;
          onText(delta);
        }
        // Events already buffered are not passed on once the caller has gone.
        signal.throwIfAborted();
        absorb(state, chunk, choice);
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  // Without [DONE] the answer may be cut short: only a seen finish reason makes it complete.
  if (!done && state.finishReason === undefined) throw new Error("the stream ended before its last chunk");
}

/** Takes the finish reason and usage a chunk or answer carries (the last one seen wins). */
function absorb(state: Partial<GenerationResult>, body: UpstreamBody, choice: UpstreamChoice | undefined): void {
  if (typeof choice?.finish_reason === "string") state.finishReason = choice.finish_reason === "length" ? "length" : "stop";
  const usage = body.usage;
  if (usage && typeof usage === "object") {
    state.promptTokens = count(usage.prompt_tokens);
    state.completionTokens = count(usage.completion_tokens);
  }
}

const count = (value: unknown): number => (typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : 0);

function finish(state: Partial<GenerationResult> & { text: string }): GenerationResult {
  // No usage from the upstream: no counts (not zeros), so the gateway counts the tokens itself.
  const counted = state.promptTokens !== undefined && state.completionTokens !== undefined;
  return { text: state.text, ...(counted && { promptTokens: state.promptTokens!, completionTokens: state.completionTokens! }), finishReason: state.finishReason ?? "stop" };
}

/** Maps an upstream error status to the miner's errors (see the class comment). */
function upstreamError(response: Response, body: UpstreamBody | null): Error {
  const { status } = response;
  const message = messageOf(body) ?? (response.statusText || "no message");
  if (status === 503) {
    const retry = Number(response.headers.get("retry-after"));
    return new DomainError("unavailable", `The upstream LLM server is unavailable: ${message}`, null, Number.isFinite(retry) && retry > 0 ? { retryAfterSeconds: retry } : {});
  }
  if (status === 429) {
    const retry = Number(response.headers.get("retry-after"));
    return new DomainError("rate_limited", `The upstream LLM server is saturated: ${message}`, null, { retryAfterSeconds: Number.isFinite(retry) && retry > 0 ? retry : 1 });
  }
  if (status >= 500 || status === 401 || status === 403 || status === 404) {
    return new DomainError("upstream_failed", `The upstream LLM server answered ${status}: ${message}`);
  }
  const error = body && typeof body.error === "object" ? body.error : undefined;
  const code = typeof error?.code === "string" ? error.code : "upstream_rejected";
  const param = typeof error?.param === "string" ? error.param : null;
  return new EngineInputError(code, message, param);
}

function messageOf(body: UpstreamBody | null): string | undefined {
  if (!body || body.error === undefined) return undefined;
  if (typeof body.error === "string") return body.error;
  return typeof body.error.message === "string" ? body.error.message : undefined;
}

/** undici reports `fetch failed` with the reason in `cause` (ECONNREFUSED, a DNS error...). */
function causeOf(error: unknown, detailed = true): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === "string") return detailed && typeof cause.message === "string" && cause.message ? `${cause.code}, ${cause.message}` : cause.code;
  if (cause && typeof cause.message === "string") return cause.message;
  return (error as Error)?.message ?? String(error);
}
