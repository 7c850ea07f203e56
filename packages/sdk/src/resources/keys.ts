import type { RequestOptions, Transport } from "../http.js";
import type { ApiKey, CreatedApiKey, List } from "../types.js";

export interface CreateKeyParams {
  name?: string;
  /** Requests per minute; over it the key gets 429 with Retry-After. */
  rateLimitPerMinute?: number;
  /** Whole tinybars the key may spend in total; over it, 402. */
  spendLimitTinybars?: bigint | string;
}

/** API keys of the account: the secret is returned by `create` only; it is stored hashed. */
export class Keys {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  create(params: CreateKeyParams = {}, options: RequestOptions = {}): Promise<CreatedApiKey> {
    const body = {
      ...(params.name !== undefined && { name: params.name }),
      ...(params.rateLimitPerMinute !== undefined && { rate_limit_per_minute: params.rateLimitPerMinute }),
      ...(params.spendLimitTinybars !== undefined && { spend_limit_tinybars: String(params.spendLimitTinybars) }),
    };
    return this.#transport.request({ ...options, method: "POST", path: "/v1/keys", body, auth: "key" });
  }

  async list(options: RequestOptions = {}): Promise<ApiKey[]> {
    return (await this.#transport.request<List<ApiKey>>({ ...options, method: "GET", path: "/v1/keys", auth: "key" })).data;
  }

  /** Revokes a key at once (revoking twice is fine). Returns the revoked key. */
  revoke(id: string, options: RequestOptions = {}): Promise<ApiKey> {
    return this.#transport.request({ ...options, method: "DELETE", path: `/v1/keys/${encodeURIComponent(id)}`, auth: "key" });
  }
}
