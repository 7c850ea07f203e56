import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { ConnectionError, ServerError, TensorNodeError, errorFor, errorFromEvent } from "./errors.js";
import { Inbox } from "./inbox.js";
import type { ChatCompletionChunk, ChatCompletionRequest, CompletionUsage, Job } from "./types.js";

const TERMINAL = new Set(["succeeded", "failed"]);

/**
 * A streamed chat completion: iterate it for OpenAI `chat.completion.chunk` objects. The last
 * chunk has no choices and carries `usage` (as OpenAI's `include_usage` does); afterwards
 * `usage` and `minerId` are set too.
 */
export class ChatStream implements AsyncIterable<ChatCompletionChunk> {
  readonly clientId: string;
  usage: CompletionUsage | null = null;
  /** The miner that served the completion. */
  minerId: string | null = null;
  readonly #inbox: Inbox<ChatCompletionChunk>;

  /** @internal */
  constructor(clientId: string, inbox: Inbox<ChatCompletionChunk>) {
    this.clientId = clientId;
    this.#inbox = inbox;
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    return this.#inbox;
  }

  /** Reads the whole stream: the text, usage and miner. */
  async text(): Promise<string> {
    let text = "";
    for await (const chunk of this) text += chunk.choices[0]?.delta.content ?? "";
    return text;
  }
}

interface PendingSubscribe {
  jobId: string;
  resolve: (status: string) => void;
  reject: (error: unknown) => void;
}

/**
 * One WebSocket connection to the API, authenticated with an API key. It multiplexes any number of
 * chat streams (each tagged with its own `client_id`) and job subscriptions. Subscribe
 * acknowledgements and errors carry no correlation id, so subscribe requests go one at a time.
 *
 * @example
 * const socket = await tn.stream.connect();
 * const [a, b] = [socket.chat({ model, messages }), socket.chat({ model, messages: other })];
 * for await (const chunk of a) process.stdout.write(chunk.choices[0]?.delta.content ?? "");
 * await socket.close();
 */
export class RealtimeConnection {
  readonly #socket: WebSocket;
  readonly #chats = new Map<string, { inbox: Inbox<ChatCompletionChunk>; stream: ChatStream; last?: ChatCompletionChunk }>();
  readonly #jobs = new Map<string, Set<Inbox<Job>>>();
  #subscribeQueue: Promise<unknown> = Promise.resolve();
  #pendingSubscribe: PendingSubscribe | undefined;
  #closedError: TensorNodeError | undefined;
  #onIdle: (() => void) | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on("message", (data) => this.#onMessage(data.toString()));
    socket.on("close", (code, reason) => this.#onClose(code, reason.toString()));
    socket.on("error", () => undefined); // followed by "close"
  }

  /** Opens a connection; a refused handshake (bad key) is an `AuthenticationError`. */
  static open(url: string, apiKey: string, options: { timeoutMs: number }): Promise<RealtimeConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers: { authorization: `Bearer ${apiKey}` }, handshakeTimeout: options.timeoutMs });
      const fail = (error: TensorNodeError) => {
        socket.removeAllListeners();
        socket.on("error", () => undefined);
        socket.terminate();
        reject(error);
      };
      socket.once("open", () => {
        socket.removeAllListeners();
        resolve(new RealtimeConnection(socket));
      });
      socket.once("unexpected-response", (_request, response) => {
        const status = response.statusCode ?? 500;
        fail(errorFor(status, { error: { message: status === 401 ? "The WebSocket handshake was refused: invalid or revoked API key." : `The WebSocket handshake was refused with HTTP ${status}.` } }));
      });
      socket.once("error", (cause) => fail(new ConnectionError(`Could not open a WebSocket to ${url}: ${cause.message}`, { code: "connection_failed", cause })));
    });
  }

  /** Number of streams and subscriptions using the connection now. */
  get active(): number {
    let subscriptions = 0;
    for (const set of this.#jobs.values()) subscriptions += set.size;
    return this.#chats.size + subscriptions;
  }

  /** @internal Called whenever the last stream or subscription ends. */
  set onIdle(callback: (() => void) | undefined) {
    this.#onIdle = callback;
  }

  /** Starts a streamed chat completion (`{"action":"chat"}`); charged to the connection's API key. */
  chat(request: ChatCompletionRequest, options: { clientId?: string } = {}): ChatStream {
    const clientId = options.clientId ?? randomUUID();
    if (this.#chats.has(clientId)) throw new TensorNodeError(`A chat stream with client_id '${clientId}' is already running on this connection.`, { code: "duplicate_client_id" });
    const inbox = new Inbox<ChatCompletionChunk>(() => this.#endChat(clientId));
    const stream = new ChatStream(clientId, inbox);
    if (this.#closedError) {
      inbox.end(this.#closedError);
      return stream;
    }
    this.#chats.set(clientId, { inbox, stream });
    this.#send({ action: "chat", client_id: clientId, request });
    return stream;
  }

  /**
   * Subscribes to one of your jobs: yields the job on every update and ends after it succeeds or
   * fails. An unknown job (or someone else's) is a `NotFoundError`.
   */
  subscribe(jobId: string): AsyncIterableIterator<Job> {
    const inbox = new Inbox<Job>(() => {
      // The caller stopped listening: tell the API, unless another subscriber still wants the job.
      this.#removeSubscription(jobId, inbox);
      if (!this.#jobs.has(jobId) && this.#socket.readyState === WebSocket.OPEN) this.#send({ action: "unsubscribe", jobId });
    });
    if (this.#closedError) {
      inbox.end(this.#closedError);
      return inbox;
    }
    const set = this.#jobs.get(jobId) ?? new Set();
    set.add(inbox);
    this.#jobs.set(jobId, set);
    // Listen first, then ask: a job that finished already is pushed before the acknowledgement.
    this.#subscribeQueue = this.#subscribeQueue.then(() =>
      new Promise<string>((resolve, reject) => {
        this.#pendingSubscribe = { jobId, resolve, reject };
        this.#send({ action: "subscribe", jobId });
      })
        .catch((error: unknown) => {
          inbox.end(error);
          this.#removeSubscription(jobId, inbox);
        })
        .finally(() => {
          this.#pendingSubscribe = undefined;
        }),
    );
    return inbox;
  }

  async close(): Promise<void> {
    if (this.#socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.#socket.once("close", () => resolve());
      this.#socket.close(1000);
    });
  }

  #send(message: object): void {
    this.#socket.send(JSON.stringify(message));
  }

  #onMessage(text: string): void {
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    const clientId = typeof event.client_id === "string" ? event.client_id : undefined;
    const chat = clientId === undefined ? undefined : this.#chats.get(clientId);
    if (chat) {
      if (event.type === "chat.chunk") {
        const chunk = event.chunk as ChatCompletionChunk;
        chat.last = chunk;
        chat.inbox.push(chunk);
      } else if (event.type === "chat.done") {
        const usage = (event.usage ?? null) as CompletionUsage | null;
        chat.stream.usage = usage;
        chat.stream.minerId = typeof event.miner_id === "string" ? event.miner_id : null;
        const last = chat.last;
        chat.inbox.push({ id: last?.id ?? chat.stream.clientId, object: "chat.completion.chunk", created: last?.created ?? Math.floor(Date.now() / 1000), model: last?.model ?? "", choices: [], usage });
        chat.inbox.end();
        this.#endChat(chat.stream.clientId);
      } else if (event.type === "error") {
        chat.inbox.end(errorFromEvent(event));
        this.#endChat(chat.stream.clientId);
      }
      return;
    }
    if (event.type === "job.updated") {
      const job = event.job as Job;
      for (const inbox of [...(this.#jobs.get(job.id) ?? [])]) {
        inbox.push(job);
        if (TERMINAL.has(job.status)) {
          inbox.end();
          this.#removeSubscription(job.id, inbox);
        }
      }
      return;
    }
    const pending = this.#pendingSubscribe;
    if (!pending) return;
    if (event.type === "subscribed" && event.jobId === pending.jobId) pending.resolve(String(event.status));
    else if (event.type === "error" && clientId === undefined) pending.reject(errorFromEvent(event));
    // API Gateway's own failure message: {"message":"Internal server error","connectionId","requestId"}.
    else if (event.type === undefined && typeof event.message === "string") pending.reject(new ServerError(event.message, { status: 500, requestId: typeof event.requestId === "string" ? event.requestId : null }));
  }

  #onClose(code: number, reason: string): void {
    this.#closedError = new ConnectionError(`The WebSocket closed (${code}${reason ? ` ${reason}` : ""}).`, { code: "connection_closed" });
    for (const { inbox } of this.#chats.values()) inbox.end(this.#closedError);
    for (const set of this.#jobs.values()) for (const inbox of set) inbox.end(this.#closedError);
    this.#pendingSubscribe?.reject(this.#closedError);
    this.#chats.clear();
    this.#jobs.clear();
  }

  #endChat(clientId: string): void {
    if (this.#chats.delete(clientId) && this.active === 0) this.#onIdle?.();
  }

  #removeSubscription(jobId: string, inbox: Inbox<Job>): void {
    const set = this.#jobs.get(jobId);
    if (!set?.delete(inbox)) return;
    if (set.size === 0) this.#jobs.delete(jobId);
    if (this.active === 0) this.#onIdle?.();
  }
}
