import type { RequestOptions, Transport } from "../http.js";
import type { Account, OpenedAccount } from "../types.js";

export interface OpenAccountParams {
  /** Name of the first API key (default "default"). */
  keyName?: string;
  rateLimitPerMinute?: number;
  /** Whole tinybars the first key may spend in total. */
  spendLimitTinybars?: bigint | string;
}

/**
 * `POST /v1/accounts`, signed with the Hedera key of the account being opened (the `signer`):
 * the signature proves you own the account id. Returns the account and its first API key; the
 * key's `secret` is shown only here.
 */
export function openAccount(transport: Transport, params: OpenAccountParams = {}, options: RequestOptions = {}): Promise<OpenedAccount> {
  const key = {
    ...(params.keyName !== undefined && { name: params.keyName }),
    ...(params.rateLimitPerMinute !== undefined && { rate_limit_per_minute: params.rateLimitPerMinute }),
    ...(params.spendLimitTinybars !== undefined && { spend_limit_tinybars: String(params.spendLimitTinybars) }),
  };
  return transport.request({ ...options, method: "POST", path: "/v1/accounts", body: Object.keys(key).length > 0 ? { key } : {}, auth: "signed" });
}

/** `GET /v1/account`: the balance (tinybars, as a string) and how to top it up. */
export function getAccount(transport: Transport, options: RequestOptions = {}): Promise<Account> {
  return transport.request({ ...options, method: "GET", path: "/v1/account", auth: "key" });
}
