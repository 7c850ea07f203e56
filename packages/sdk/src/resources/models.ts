import type { RequestOptions, Transport } from "../http.js";
import type { List, Model } from "../types.js";

/** Models live miners serve now, with modality, miner count and price range (tinybars per unit). */
export class Models {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  async list(options: RequestOptions = {}): Promise<Model[]> {
    return (await this.#transport.request<List<Model>>({ ...options, method: "GET", path: "/v1/models", auth: "none" })).data;
  }

  /** One model; `NotFoundError` when no miner serves it. */
  retrieve(id: string, options: RequestOptions = {}): Promise<Model> {
    return this.#transport.request({ ...options, method: "GET", path: `/v1/models/${id.split("/").map(encodeURIComponent).join("/")}`, auth: "none" });
  }
}
