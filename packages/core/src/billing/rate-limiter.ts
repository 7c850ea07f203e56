import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { RateLimitStore } from "../ports/rate-limits.js";

const MINUTE_MS = 60_000;
/** A claim on the shared count takes at most this share of the limit, so a busy key costs one store call per 20th of its limit. */
const CLAIM_SHARE = 20;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Lease {
  window: number;
  tokens: number;
  exhausted: boolean;
  /** The size of the next claim: it starts small and doubles with use, up to the share. */
  nextClaim: number;
  /** Requests this instance admitted in the window, to size the next window's first claim. */
  used: number;
  /** A claim failed or timed out: for the rest of the minute this key is limited on the local bucket alone. */
  degraded?: boolean;
  claiming?: Promise<void>;
}

/**
 * Requests per minute per API key, checked twice:
 *
 * - a token bucket in this instance: a key may burst up to its whole minute and then refills
 *   continuously (no store call);
 * - with a `RateLimitStore`, the key's count per calendar minute shared by every instance. An
 *   instance claims requests from it in chunks and spends them locally, so all instances together
 *   never admit more than the limit in a minute. A chunk starts at a tenth of what the instance
 *   used in the previous minute (at least 1) and doubles with each claim, up to a 20th of the
 *   limit: a busy key costs a store call per 20th of its limit, and an instance that sees a key
 *   rarely holds back little of it. Requests claimed but not used lapse with the minute (so a
 *   key spread over many instances may be refused a little early, never late).
 *
 * If a claim fails or takes over a second, the key is limited on the local bucket alone for the
 * rest of the minute and a warning is logged: an outage of the counter must not become an outage
 * (or a slowdown) of the API.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number }>();
  readonly #leases = new Map<string, Lease>();
  #prunedAt = 0;

  constructor(
    private readonly clock: Clock,
    private readonly shared?: { store: RateLimitStore; logger: Logger; claimTimeoutMs?: number },
  ) {}

  /** Takes one request for the key; when refused, says how many seconds until one is free. */
  async take(key: string, perMinute: number): Promise<RateDecision> {
    const local = this.#takeLocal(key, perMinute);
    if (!local.allowed || !this.shared) return local;
    const now = this.clock.now().getTime();
    const window = now - (now % MINUTE_MS);
    if (await this.#takeShared(key, perMinute, window)) return local;
    this.#refundLocal(key);
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window + MINUTE_MS - now) / 1000)) };
  }

  #takeLocal(key: string, perMinute: number): RateDecision {
    const now = this.clock.now().getTime();
    const perMs = perMinute / MINUTE_MS;
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

  /** A request the shared count refused gives its local token back. */
  #refundLocal(key: string): void {
    const bucket = this.#buckets.get(key);
    if (bucket) bucket.tokens += 1;
  }

  async #takeShared(key: string, perMinute: number, window: number): Promise<boolean> {
    let lease = this.#leases.get(key);
    if (!lease || lease.window < window) {
      this.#prune(window);
      const previous = lease && lease.window === window - MINUTE_MS ? lease.used : 0;
      lease = { window, tokens: 0, exhausted: false, nextClaim: Math.max(1, Math.ceil(previous / 10)), used: 0 };
      this.#leases.set(key, lease);
    } else if (lease.window > window) {
      // The clock stepped back over a minute boundary: count this request against its own minute,
      // without replacing the current minute's lease.
      lease = { window, tokens: 0, exhausted: false, nextClaim: 1, used: 0 };
    }
    for (;;) {
      if (lease.tokens > 0 || lease.degraded) {
        if (lease.tokens > 0) lease.tokens--;
        lease.used++;
        return true;
      }
      if (lease.exhausted) return false;
      // Concurrent requests of one key wait for the same claim instead of each making one.
      lease.claiming ??= this.#claim(key, perMinute, lease).finally(() => (lease.claiming = undefined));
      await lease.claiming;
    }
  }

  async #claim(key: string, perMinute: number, lease: Lease): Promise<void> {
    const want = Math.min(lease.nextClaim, Math.max(1, Math.floor(perMinute / CLAIM_SHARE)));
    lease.nextClaim = want * 2;
    try {
      const granted = await withTimeout(this.shared!.store.claim(key, lease.window, want, perMinute), this.shared!.claimTimeoutMs ?? CLAIM_TIMEOUT_MS);
      lease.tokens += granted;
      if (granted === 0) lease.exhausted = true;
    } catch (error) {
      // Not retried within the minute: requests waiting on this claim must not queue behind one timeout after another.
      this.shared!.logger.warn("shared rate limit unavailable; limiting on this instance alone for the rest of the minute", { error: String(error) });
      lease.degraded = true;
    }
  }

  /**
   * Forgets leases older than the previous minute (which sizes the next first claim) and buckets that
   * have refilled, so the maps stay as large as the keys in use; at most once a minute.
   */
  #prune(window: number): void {
    if (window <= this.#prunedAt || (this.#leases.size < PRUNE_ABOVE && this.#buckets.size < PRUNE_ABOVE)) return;
    this.#prunedAt = window;
    for (const [key, lease] of this.#leases) if (lease.window < window - MINUTE_MS && !lease.claiming) this.#leases.delete(key);
    const now = this.clock.now().getTime();
    for (const [key, bucket] of this.#buckets) if (now - bucket.updatedAt > MINUTE_MS) this.#buckets.delete(key);
  }
}

/** A claim that takes longer fails open: a slow counter must not hold requests up. */
const CLAIM_TIMEOUT_MS = 1_000;
const PRUNE_ABOVE = 10_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
