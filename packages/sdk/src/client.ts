import { TensorNodeError } from "./errors.js";
import { Transport, type FetchLike, type RequestOptions } from "./http.js";
import { RealtimeConnection, type ChatStream } from "./realtime.js";
import { getAccount, openAccount, type OpenAccountParams } from "./resources/accounts.js";
import { analyzeImage, translate } from "./resources/inference.js";
import { Jobs } from "./resources/jobs.js";
import { Keys } from "./resources/keys.js";
import { Models } from "./resources/models.js";
import { Usage } from "./resources/usage.js";
import type { Signer } from "./signing.js";
import type { Account, ChatCompletionRequest, OpenedAccount, TranslationRequest, TranslationResponse, VisionAnalysis, VisionAnalyzeRequest } from "./types.js";

export interface TensorNodeOptions {
  /** The API, e.g. `http://127.0.0.1:4100` (a trailing `/v1`, as the openai client takes it, is fine). */
  baseURL: string;
  /** An API key (`tn_...`), for everything but `openAccount` and `models`. */
  apiKey?: string | undefined;
  /** The Hedera account and its key, for signed calls (`openAccount`). */
  signer?: Signer | undefined;
  /** The WebSocket API, e.g. `ws://127.0.0.1:4101`; needed for `stream.*` and `jobs.subscribe`. */
  websocketURL?: string | undefined;
  /** A fetch implementation (default: the global one). */
  fetch?: FetchLike | undefined;
  /** Per-request timeout, default 60 s; past it a `ConnectionError` with code `timeout`. */
  timeoutMs?: number | undefined;
}

/**
 * The TensorNode client for what the `openai` client does not cover: Hedera-signed accounts, API
 * keys, usage, jobs, translations, structured vision, and chat streams over WebSocket. Every
 * failure is a typed `TensorNodeError`; money is tinybars as strings, never floats.
 *
 * @example
 * const tn = new TensorNode({ baseURL: "http://127.0.0.1:4100", apiKey, websocketURL: "ws://127.0.0.1:4101" });
 * const { balance } = await tn.account();
 * const job = await tn.jobs.wait((await tn.jobs.submit("embeddings", { model, input: "hi" })).id);
 */
export class TensorNode {
  readonly keys: Keys;
  readonly usage: Usage;
  readonly models: Models;
  readonly jobs: Jobs;
  readonly translations: { create(request: TranslationRequest, options?: RequestOptions): Promise<TranslationResponse> };
  readonly vision: { analyze(request: VisionAnalyzeRequest, options?: RequestOptions): Promise<VisionAnalysis> };
  readonly stream: {
    /** A streamed chat completion over the shared WebSocket (opened on demand, closed when idle). */
    chat(request: ChatCompletionRequest, options?: { clientId?: string }): Promise<ChatStream>;
    /** A connection of your own, to multiplex streams and subscriptions explicitly; close it when done. */
    connect(): Promise<RealtimeConnection>;
  };
  readonly #options: TensorNodeOptions;
  readonly #transport: Transport;
  #shared: Promise<RealtimeConnection> | undefined;

  constructor(options: TensorNodeOptions) {
    if (!options?.baseURL) throw new TensorNodeError("baseURL is required, e.g. new TensorNode({ baseURL: 'http://127.0.0.1:4100', apiKey })", { code: "invalid_options" });
    this.#options = options;
    this.#transport = new Transport({ baseURL: options.baseURL, apiKey: options.apiKey, signer: options.signer, fetch: options.fetch, timeoutMs: options.timeoutMs ?? 60_000 });
    this.keys = new Keys(this.#transport);
    this.usage = new Usage(this.#transport);
    this.models = new Models(this.#transport);
    this.jobs = new Jobs(this.#transport, (use) => this.#withShared(use));
    this.translations = { create: (request, requestOptions) => translate(this.#transport, request, requestOptions) };
    this.vision = { analyze: (request, requestOptions) => analyzeImage(this.#transport, request, requestOptions) };
    this.stream = {
      chat: async (request, chatOptions) => (await this.#acquire()).chat(request, chatOptions),
      connect: () => this.#connect(),
    };
  }

  /** The same client with another API key (e.g. the one `openAccount` just returned). */
  withApiKey(apiKey: string): TensorNode {
    return new TensorNode({ ...this.#options, apiKey });
  }

  /** Opens an account for the `signer`'s Hedera account; its first API key's secret is in `api_key.secret`. */
  openAccount(params: OpenAccountParams = {}, options: RequestOptions = {}): Promise<OpenedAccount> {
    return openAccount(this.#transport, params, options);
  }

  /** The account behind the API key: balance in tinybars (a string) and deposit instructions. */
  account(options: RequestOptions = {}): Promise<Account> {
    return getAccount(this.#transport, options);
  }

  /** Closes the shared WebSocket now (it also closes by itself once no stream uses it). */
  async close(): Promise<void> {
    const shared = this.#shared;
    this.#shared = undefined;
    await (await shared?.catch(() => undefined))?.close();
  }

  #connect(): Promise<RealtimeConnection> {
    const url = this.#options.websocketURL;
    if (!url) return Promise.reject(new TensorNodeError("WebSocket features need websocketURL, e.g. new TensorNode({ ..., websocketURL: 'ws://127.0.0.1:4101' }).", { code: "missing_websocket_url" }));
    if (!this.#options.apiKey) return Promise.reject(new TensorNodeError("WebSocket features need an API key: pass apiKey to new TensorNode(...).", { code: "missing_api_key" }));
    return RealtimeConnection.open(url, this.#options.apiKey, { timeoutMs: this.#transport.timeoutMs });
  }

  /** The shared connection; it closes itself when its last stream or subscription ends. */
  #acquire(): Promise<RealtimeConnection> {
    if (!this.#shared) {
      const opening = this.#connect().then((connection) => {
        connection.onIdle = () => {
          if (this.#shared === opening) this.#shared = undefined;
          void connection.close();
        };
        return connection;
      });
      opening.catch(() => {
        if (this.#shared === opening) this.#shared = undefined;
      });
      this.#shared = opening;
    }
    return this.#shared;
  }

  async *#withShared<T>(use: (connection: RealtimeConnection) => AsyncIterable<T>): AsyncGenerator<T> {
    yield* use(await this.#acquire());
  }
}
