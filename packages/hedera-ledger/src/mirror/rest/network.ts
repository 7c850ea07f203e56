import { NANOS_PER_SECOND } from "../../codec.js";
import { acceptOnly, filters, mirrorTimestamp, parseTimestamp, type RestRequest, type RestResponse } from "./common.js";

/**
 * `GET /api/v1/network/exchangerate`. The ledger has no exchange-rate file (0.0.112) and charges
 * flat fees, so it answers a FIXED rate: the example of the mirror's OpenAPI spec
 * (`ExchangeRate`: 596987 cents per 30000 ℏ, about 0.199 USD/ℏ), for both the current and the next
 * rate, expiring at the next whole hour as the network's rates do.
 */
export const FIXED_EXCHANGE_RATE = { cent_equivalent: 596_987, hbar_equivalent: 30_000 } as const;

export function exchangeRate(request: RestRequest): RestResponse {
  acceptOnly(request.query, ["timestamp"]);
  filters(request.query, "timestamp", parseTimestamp, ["eq", "lt", "lte"]);
  const now = request.ledger.state.lastConsensusNanos || BigInt(Date.now()) * 1_000_000n;
  const seconds = now / NANOS_PER_SECOND;
  const expiration = (seconds / 3600n + 1n) * 3600n;
  return {
    body: {
      current_rate: { ...FIXED_EXCHANGE_RATE, expiration_time: Number(expiration) },
      next_rate: { ...FIXED_EXCHANGE_RATE, expiration_time: Number(expiration + 3600n) },
      timestamp: mirrorTimestamp(now),
    },
  };
}
