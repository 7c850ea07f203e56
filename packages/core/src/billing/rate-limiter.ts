import type { Clock } from "../ports/clock.js";

/**
 * Requests per minute per API key, as a token bucket: a key may burst up to its whole minute and
 * then refills continuously. Kept in memory per API instance, so the hot path makes no store call;
 * with N instances a key can reach N times its limit (documented in the API README).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(private readonly clock: Clock) {}

  /** Takes one request from the key's bucket; when empty, says how many seconds until one is free. */
  take(key: string, perMinute: number): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.clock.now().getTime();
    const perMs = perMinute / 60_000;
    const bucket = this.#buckets.get(key) ?? { tokens: perMinute, updatedAt: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  }
}
