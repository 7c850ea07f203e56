/**
 * @module @tensornode/sdk
 * The TensorNode SDK: accounts (Hedera-signed), API keys, usage, models, jobs, translations,
 * vision and WebSocket chat streams, with typed errors. Use the official `openai` client for the
 * OpenAI endpoints themselves; this covers the rest.
 *
 * @example
 * import { TensorNode, RateLimitError } from "@tensornode/sdk";
 * const tn = new TensorNode({ baseURL: "http://127.0.0.1:4100", apiKey: process.env.TENSORNODE_API_KEY });
 * console.log((await tn.account()).balance);
 */
export { TensorNode, type TensorNodeOptions } from "./client.js";
export {
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PaymentRequiredError,
  PermissionError,
  RateLimitError,
  ServerError,
  TensorNodeError,
  type ErrorFields,
} from "./errors.js";
export { ChatStream, RealtimeConnection } from "./realtime.js";
export { SIGNATURE_HEADERS, canonicalRequest, requestSigner, type RequestSigner, type SignableRequest, type Signer } from "./signing.js";
export type { FetchLike, RequestOptions } from "./http.js";
export type { OpenAccountParams } from "./resources/accounts.js";
export type { CreateKeyParams } from "./resources/keys.js";
export type { UsageListParams } from "./resources/usage.js";
export type { WaitOptions } from "./resources/jobs.js";
export * from "./types.js";
