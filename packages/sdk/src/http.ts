import { ConnectionError, TensorNodeError, errorFor, retryAfterSeconds } from "./errors.js";
import { requestSigner, type RequestSigner, type Signer } from "./signing.js";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RequestOptions {
  /** Aborts the request (in addition to the client's timeout). */
  signal?: AbortSignal;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
}

interface Call extends RequestOptions {
  method: "GET" | "POST" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** `key`: Bearer API key; `signed`: Hedera-signed; `none`: public. */
  auth: "key" | "signed" | "none";
}

export interface TransportOptions {
  baseURL: string;
  apiKey?: string | undefined;
  signer?: Signer | undefined;
  fetch?: FetchLike | undefined;
  timeoutMs: number;
}

/** One HTTP exchange with the API: auth, JSON, timeout, and every failure as a typed error. */
export class Transport {
  readonly baseURL: string;
  readonly apiKey: string | undefined;
  readonly timeoutMs: number;
  readonly signer: Signer | undefined;
  #fetch: FetchLike;
  #sign: RequestSigner | undefined;

  constructor(options: TransportOptions) {
    // Accept both `http://host` and the openai client's `http://host/v1`.
    this.baseURL = options.baseURL.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.apiKey = options.apiKey;
    this.signer = options.signer;
    this.timeoutMs = options.timeoutMs;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async request<T>(call: Call): Promise<T> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined) query.set(name, String(value));
    const path = `${call.path}${query.size > 0 ? `?${query}` : ""}`;
    const text = call.body === undefined ? undefined : JSON.stringify(call.body);
    const headers: Record<string, string> = { accept: "application/json" };
    if (text !== undefined) headers["content-type"] = "application/json";
    if (call.auth === "key") {
      if (!this.apiKey) throw new TensorNodeError("This call needs an API key: pass apiKey to new TensorNode(...).", { code: "missing_api_key" });
      headers.authorization = `Bearer ${this.apiKey}`;
    } else if (call.auth === "signed") {
      if (!this.signer) throw new TensorNodeError("This call is signed with a Hedera key: pass signer { accountId, privateKeyDer } to new TensorNode(...).", { code: "missing_signer" });
      this.#sign ??= requestSigner(this.signer);
      Object.assign(headers, await this.#sign({ method: call.method, path, body: text ?? "" }));
    }

    const timeoutMs = call.timeoutMs ?? this.timeoutMs;
    const signals = [AbortSignal.timeout(timeoutMs), ...(call.signal ? [call.signal] : [])];
    let response: Response;
    let body: string;
    try {
      response = await this.#fetch(`${this.baseURL}${path}`, { method: call.method, headers, ...(text !== undefined && { body: text }), signal: AbortSignal.any(signals) });
      body = await response.text();
    } catch (cause) {
      const timedOut = (cause as Error)?.name === "TimeoutError";
      if ((cause as Error)?.name === "AbortError" && call.signal?.aborted) throw cause;
      throw new ConnectionError(timedOut ? `${call.method} ${call.path} timed out after ${timeoutMs} ms.` : `Could not reach ${this.baseURL}: ${(cause as Error)?.message ?? cause}`, {
        code: timedOut ? "timeout" : "connection_failed",
        cause,
      });
    }
    const requestId = response.headers.get("x-request-id");
    let json: unknown;
    try {
      json = body === "" ? undefined : JSON.parse(body);
    } catch {
      json = undefined;
    }
    if (!response.ok) throw errorFor(response.status, json ?? { error: { message: `HTTP ${response.status}: ${body.slice(0, 200)}` } }, { requestId, retryAfterSeconds: retryAfterSeconds(response.headers.get("retry-after")) });
    if (json === undefined) throw new TensorNodeError(`Expected a JSON response from ${call.method} ${call.path}.`, { status: response.status, code: "invalid_response", requestId });
    return json as T;
  }
}
