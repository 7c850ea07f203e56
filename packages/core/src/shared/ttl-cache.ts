import type { Clock } from "../ports/clock.js";

/**
 * A small read-through cache with a time to live. Concurrent misses for one key share a single
 * load, so a burst of requests with a cold key makes one store call, not one per request.
 * Failed loads are not cached.
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();
  readonly #loading = new Map<K, Promise<V>>();

  constructor(
    private readonly options: { ttlMs: number; clock: Clock; maxEntries?: number },
  ) {}

  async get(key: K, load: (key: K) => Promise<V>): Promise<V> {
    const now = this.options.clock.now().getTime();
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > now) return entry.value;
    const pending = this.#loading.get(key);
    if (pending) return pending;
    const promise: Promise<V> = load(key).then(
      (value) => {
        // Fix: a load that was invalidated (or cleared) while it ran read the store before the
        // change; caching its value would undo `invalidate` for a whole TTL.
        if (this.#loading.get(key) !== promise) return value;
        this.#loading.delete(key);
        this.set(key, value);
        return value;
      },
      (error: unknown) => {
        if (this.#loading.get(key) === promise) this.#loading.delete(key);
        throw error;
      },
    );
    this.#loading.set(key, promise);
    return promise;
  }

  /** The cached value if it is still fresh, without loading. */
  peek(key: K): V | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.expiresAt > this.options.clock.now().getTime() ? entry.value : undefined;
  }

  set(key: K, value: V): void {
    const max = this.options.maxEntries ?? 10_000;
    if (this.#entries.size >= max && !this.#entries.has(key)) {
      // Drop the oldest insertion: Map iterates in insertion order.
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt: this.options.clock.now().getTime() + this.options.ttlMs });
  }

  /**
   * Replaces a fresh entry's value without extending its life (no-op when absent or expired).
   * Fix: `set` restarts the TTL, so callers adjusting a cached value on every charge kept it
   * fresh forever and never saw other instances' changes (revocations, deposits, their charges).
   */
  update(key: K, change: (value: V) => V): void {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > this.options.clock.now().getTime()) entry.value = change(entry.value);
  }

  invalidate(key: K): void {
    this.#entries.delete(key);
    this.#loading.delete(key);
  }

  clear(): void {
    this.#entries.clear();
    this.#loading.clear();
  }
}
