import type { RequestOptions, Transport } from "../http.js";
import type { Page, UsageRecord } from "../types.js";

export interface UsageListParams {
  /** 1-100, default 20. */
  limit?: number;
  /** A usage id from a previous page (`last_id`): list older records. */
  before?: string;
}

/** The account's metered requests, newest first. */
export class Usage {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** One page. */
  list(params: UsageListParams = {}, options: RequestOptions = {}): Promise<Page<UsageRecord>> {
    return this.#transport.request({ ...options, method: "GET", path: "/v1/usage", query: { limit: params.limit, before: params.before }, auth: "key" });
  }

  /**
   * Every record, newest first, fetching pages of `limit` as the loop goes.
   *
   * @example
   * let spent = 0n;
   * for await (const record of tn.usage.all()) spent += BigInt(record.cost);
   */
  async *all(params: Omit<UsageListParams, "before"> & { before?: string } = {}, options: RequestOptions = {}): AsyncGenerator<UsageRecord> {
    let before = params.before;
    for (;;) {
      const page = await this.list({ ...params, ...(before !== undefined && { before }) }, options);
      yield* page.data;
      if (!page.has_more || page.last_id === null) return;
      before = page.last_id;
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<UsageRecord> {
    return this.all({ limit: 100 });
  }
}
