import type {
  CreatedVm,
  CreateVmsRequest,
  DefaultImage,
  EstimateRequest,
  EstimateResponse,
  Offer,
  OfferFilter,
  Vm,
  VmUpdate,
} from "./types.js";

export const FLUENCE_BASE_URL = "https://api.fluence.dev";

/** A short, stable name for an HTTP status; the documented error body carries only a message. */
export type FluenceErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "unprocessable"
  | "rate_limited"
  | "server_error"
  | "http_error";

function codeFor(status: number): FluenceErrorCode {
  if (status === 400) return "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 422) return "unprocessable";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  return "http_error";
}

/** Every non-2xx answer. `message` is the documented `{"error": "..."}` text when present. */
export class FluenceApiError extends Error {
  override readonly name = "FluenceApiError";
  constructor(
    readonly status: number,
    readonly code: FluenceErrorCode,
    message: string,
    readonly method: string,
    readonly path: string,
    readonly body: unknown,
  ) {
    super(`Fluence ${method} ${path} → ${status}: ${message}`);
    this.apiMessage = message;
  }
  readonly apiMessage: string;
}

/** The call did not answer within its timeout. */
export class FluenceTimeoutError extends Error {
  override readonly name = "FluenceTimeoutError";
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`Fluence ${method} ${path} timed out after ${timeoutMs} ms`);
  }
}

export interface FluenceClientOptions {
  apiKey: string;
  /** Default https://api.fluence.dev. */
  baseUrl?: string;
  /**
   * The current docs (since 2026-01-13) send `X-API-KEY: <key>`; older docs and clients use
   * `Authorization: Bearer <key>`. Default "x-api-key".
   */
  auth?: "x-api-key" | "bearer";
  /** Default per-call timeout, ms. Default 15 000. */
  timeoutMs?: number;
  /** Retries after a 429 (any call) or 5xx (calls that are safe to repeat). Default 2. */
  maxRetries?: number;
  /** First backoff without Retry-After, ms; doubles each retry. Default 500. */
  backoffMs?: number;
  /** Upper bound on any single wait, including a Retry-After. Default 30 000. */
  maxRetryDelayMs?: number;
  /** Injected for tests; default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export interface CallOptions {
  timeoutMs?: number;
}

const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/** Parses Retry-After (delta seconds or HTTP date) into ms, or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class FluenceClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly auth: "x-api-key" | "bearer";
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoffMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchImpl: typeof fetch;

  constructor(options: FluenceClientOptions) {
    if (!options.apiKey) throw new TypeError("FluenceClient: apiKey is required");
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? FLUENCE_BASE_URL).replace(/\/+$/, "");
    this.auth = options.auth ?? "x-api-key";
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** POST /marketplace/offers; `{}` returns all offers. */
  listOffers(filter: OfferFilter = {}, call?: CallOptions): Promise<Offer[]> {
    return this.request<Offer[]>("POST", "/marketplace/offers", filter, { idempotent: true, ...call });
  }

  /** POST /vms/v3/estimate. 422 when not enough offers match. */
  estimate(request: EstimateRequest, call?: CallOptions): Promise<EstimateResponse> {
    return this.request<EstimateResponse>("POST", "/vms/v3/estimate", request, { idempotent: true, ...call });
  }

  /** POST /vms/v3. Not retried on 5xx (it may have deployed and billed); retried on 429. */
  createVms(request: CreateVmsRequest, call?: CallOptions): Promise<CreatedVm[]> {
    return this.request<CreatedVm[]>("POST", "/vms/v3", request, { idempotent: false, ...call });
  }

  /** GET /vms/v3: full VM objects, with status, publicIp and open ports. */
  listVms(call?: CallOptions): Promise<Vm[]> {
    return this.request<Vm[]>("GET", "/vms/v3", undefined, { idempotent: true, ...call });
  }

  /** One VM from GET /vms/v3 (the API has no per-VM GET); undefined if it is not listed. */
  async getVm(vmId: string, call?: CallOptions): Promise<Vm | undefined> {
    const vms = await this.listVms(call);
    return vms.find((vm) => vm.id.toLowerCase() === vmId.toLowerCase());
  }

  /** PATCH /vms/v3 → 204. `openPorts` must be the full list to keep. */
  async updateVms(updates: VmUpdate[], call?: CallOptions): Promise<void> {
    await this.request<unknown>("PATCH", "/vms/v3", { updates }, { idempotent: true, ...call });
  }

  /** DELETE /vms/v3 with `{ vmIds }` → 200. The current epoch is still billed. */
  async deleteVms(vmIds: string[], call?: CallOptions): Promise<void> {
    await this.request<unknown>("DELETE", "/vms/v3", { vmIds }, { idempotent: true, ...call });
  }

  /** GET /vms/v3/default_images. */
  listDefaultImages(call?: CallOptions): Promise<DefaultImage[]> {
    return this.request<DefaultImage[]>("GET", "/vms/v3/default_images", undefined, { idempotent: true, ...call });
  }

  private headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (hasBody) headers["content-type"] = "application/json";
    if (this.auth === "bearer") headers.authorization = `Bearer ${this.apiKey}`;
    else headers["x-api-key"] = this.apiKey;
    return headers;
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    opts: { idempotent: boolean; timeoutMs?: number },
  ): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      let text: string;
      try {
        res = await this.fetchImpl(this.baseUrl + path, {
          method,
          headers: this.headers(body !== undefined),
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await res.text();
      } catch (err) {
        if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
          throw new FluenceTimeoutError(method, path, timeoutMs);
        }
        throw err;
      }
      const parsed = parseJson(text);
      if (res.ok) return (text === "" ? undefined : parsed) as T;

      const retryable = res.status === 429 || (opts.idempotent && RETRYABLE_5XX.has(res.status));
      if (retryable && attempt < this.maxRetries) {
        const hinted = parseRetryAfter(res.headers.get("retry-after"));
        const delay = Math.min(hinted ?? this.backoffMs * 2 ** attempt, this.maxRetryDelayMs);
        await this.sleep(delay);
        continue;
      }
      throw new FluenceApiError(res.status, codeFor(res.status), errorMessage(parsed, text, res), method, path, parsed ?? text);
    }
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorMessage(parsed: unknown, text: string, res: Response): string {
  if (parsed && typeof parsed === "object") {
    const { error, detail } = parsed as { error?: unknown; detail?: unknown };
    if (typeof error === "string") return error; // CPU Cloud: {"error": "..."}
    if (typeof detail === "string") return detail; // GPU Cloud 400
    if (Array.isArray(detail)) {
      // GPU Cloud 422: [{loc, msg, type, input}]
      return detail.map((d) => (d && typeof d === "object" && "msg" in d ? String(d.msg) : JSON.stringify(d))).join("; ");
    }
  }
  return text.trim().slice(0, 200) || res.statusText || `HTTP ${res.status}`;
}
