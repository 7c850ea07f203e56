import { TensorNodeError } from "../errors.js";
import type { RequestOptions, Transport } from "../http.js";
import type { RealtimeConnection } from "../realtime.js";
import type { Job } from "../types.js";

const TERMINAL = new Set(["succeeded", "failed"]);

export interface WaitOptions extends RequestOptions {
  /** Give up after this long (default 60 s): a `TensorNodeError` with code `wait_timeout`. */
  timeoutMs?: number;
  /** Poll interval (default 500 ms). */
  pollMs?: number;
}

/**
 * Asynchronous jobs: any inference operation (`chat.completions`, `embeddings`,
 * `audio.transcriptions`, `audio.speech`, `translations`, `vision.analyze`) or `canary`, with the
 * same input as the synchronous endpoint. Charged when a worker runs it.
 */
export class Jobs {
  readonly #transport: Transport;
  readonly #realtime: <T>(use: (connection: RealtimeConnection) => AsyncIterable<T>) => AsyncGenerator<T>;

  /** @internal */
  constructor(transport: Transport, realtime: <T>(use: (connection: RealtimeConnection) => AsyncIterable<T>) => AsyncGenerator<T>) {
    this.#transport = transport;
    this.#realtime = realtime;
  }

  /** `POST /v1/jobs` → the queued job (HTTP 202). */
  submit<Result = unknown>(kind: string, input: unknown, options: RequestOptions = {}): Promise<Job<Result>> {
    return this.#transport.request({ ...options, method: "POST", path: "/v1/jobs", body: { kind, input }, auth: "key" });
  }

  get<Result = unknown>(id: string, options: RequestOptions = {}): Promise<Job<Result>> {
    return this.#transport.request({ ...options, method: "GET", path: `/v1/jobs/${encodeURIComponent(id)}`, auth: "key" });
  }

  /**
   * Polls until the job succeeds or fails and returns it (a failed job is returned, not thrown:
   * its `error` says why).
   */
  async wait<Result = unknown>(id: string, options: WaitOptions = {}): Promise<Job<Result>> {
    const { timeoutMs = 60_000, pollMs = 500, ...request } = options;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.get<Result>(id, request);
      if (TERMINAL.has(job.status)) return job;
      if (Date.now() + pollMs > deadline) throw new TensorNodeError(`Job ${id} is still ${job.status} after ${timeoutMs} ms.`, { code: "wait_timeout" });
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /**
   * Job updates pushed over the WebSocket: yields the job each time it changes and ends once it has
   * succeeded or failed. Someone else's or an unknown job is a `NotFoundError`.
   *
   * @example
   * for await (const job of tn.jobs.subscribe(id)) console.log(job.status);
   */
  subscribe(id: string): AsyncGenerator<Job> {
    return this.#realtime((connection) => connection.subscribe(id));
  }
}
