import type { RateLimitStore } from "../../src/index.js";

/** Counts per key and window in a map; `failing` makes every claim throw, as a store outage would. */
export class InMemoryRateLimitStore implements RateLimitStore {
  readonly #used = new Map<string, number>();
  failing = false;
  claims = 0;

  async claim(key: string, windowStart: number, want: number, limit: number): Promise<number> {
    this.claims++;
    if (this.failing) throw new Error("rate limit store unavailable");
    const id = `${key}#${windowStart}`;
    const used = this.#used.get(id) ?? 0;
    const granted = Math.max(0, Math.min(want, limit - used));
    this.#used.set(id, used + granted);
    return granted;
  }
}
