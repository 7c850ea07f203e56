import { describe, expect, it } from "vitest";
import { TtlCache } from "../src/index.js";
import { FixedClock, deferred } from "../testing/index.js";

const TTL_MS = 1_000;

/** A cache over a counting loader that answers `<key>#<n>` for its n-th load. */
function setup(options: { maxEntries?: number } = {}) {
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  const cache = new TtlCache<string, string>({ ttlMs: TTL_MS, clock, ...options });
  const loads: string[] = [];
  const load = async (key: string) => {
    loads.push(key);
    return `${key}#${loads.length}`;
  };
  return { clock, cache, loads, load };
}


describe("TtlCache", () => {
  it("loads a missing key once and serves it from memory while it is fresh", async () => {
    // Prepare
    const { clock, cache, loads, load } = setup();
    // Act
    const first = await cache.get("a", load);
    clock.advance(TTL_MS - 1);
    const second = await cache.get("a", load);
    // Assess
    expect([first, second]).toEqual(["a#1", "a#1"]);
    expect(loads).toEqual(["a"]);
  });

  it("loads again once the TTL has passed", async () => {
    // Prepare
    const { clock, cache, loads, load } = setup();
    await cache.get("a", load);
    // Act
    clock.advance(TTL_MS);
    const reloaded = await cache.get("a", load);
    // Assess
    expect(reloaded).toBe("a#2");
    expect(loads).toEqual(["a", "a"]);
  });

  it("shares one load between concurrent misses for the same key", async () => {
    // Prepare
    const { cache } = setup();
    const pending = deferred<string>();
    let loads = 0;
    const load = () => (loads++, pending.promise);
    // Act
    const gets = [cache.get("a", load), cache.get("a", load), cache.get("a", load)];
    pending.resolve("value");
    // Assess
    expect(await Promise.all(gets)).toEqual(["value", "value", "value"]);
    expect(loads).toBe(1);
  });

  it("keeps keys apart", async () => {
    const { cache, loads, load } = setup();
    expect(await cache.get("a", load)).toBe("a#1");
    expect(await cache.get("b", load)).toBe("b#2");
    expect(await cache.get("a", load)).toBe("a#1");
    expect(loads).toEqual(["a", "b"]);
  });

  it("does not cache a failed load: every waiter sees the error and the next get loads again", async () => {
    // Prepare
    const { cache, loads, load } = setup();
    const failing = deferred<string>();
    const gets = [cache.get("a", () => failing.promise), cache.get("a", () => failing.promise)];
    // Act
    failing.reject(new Error("store down"));
    // Assess
    for (const get of gets) await expect(get).rejects.toThrow("store down");
    expect(await cache.get("a", load)).toBe("a#1");
    expect(loads).toEqual(["a"]);
  });

  it("caches null (an unknown key is remembered too)", async () => {
    // Prepare
    const clock = new FixedClock();
    const cache = new TtlCache<string, string | null>({ ttlMs: TTL_MS, clock });
    let loads = 0;
    const load = async () => (loads++, null);
    // Act
    await cache.get("junk", load);
    const again = await cache.get("junk", load);
    // Assess
    expect(again).toBeNull();
    expect(loads).toBe(1);
  });

  it("peeks at fresh values only, without loading", async () => {
    // Prepare
    const { clock, cache, loads, load } = setup();
    // Act / Assess
    expect(cache.peek("a")).toBeUndefined();
    await cache.get("a", load);
    expect(cache.peek("a")).toBe("a#1");
    clock.advance(TTL_MS);
    expect(cache.peek("a")).toBeUndefined();
    expect(loads).toEqual(["a"]);
  });

  it("set stores a value with a fresh TTL", async () => {
    // Prepare
    const { clock, cache, loads, load } = setup();
    // Act
    cache.set("a", "given");
    clock.advance(TTL_MS - 1);
    // Assess
    expect(await cache.get("a", load)).toBe("given");
    clock.advance(1);
    expect(await cache.get("a", load)).toBe("a#1");
    expect(loads).toEqual(["a"]);
  });

  it("update changes a fresh value but keeps its expiry", async () => {
    // Prepare
    const { clock, cache, load } = setup();
    await cache.get("a", load);
    clock.advance(TTL_MS - 10);
    // Act
    cache.update("a", (value) => `${value}+`);
    // Assess
    expect(cache.peek("a")).toBe("a#1+");
    clock.advance(10);
    expect(cache.peek("a")).toBeUndefined();
  });

  it("update leaves absent and expired keys alone", async () => {
    // Prepare
    const { clock, cache, load } = setup();
    await cache.get("a", load);
    clock.advance(TTL_MS);
    let calls = 0;
    // Act
    cache.update("a", (value) => (calls++, value));
    cache.update("missing", (value) => (calls++, value));
    // Assess
    expect(calls).toBe(0);
    expect(cache.peek("missing")).toBeUndefined();
  });

  it("invalidate makes the next get load again; clear does it for every key", async () => {
    // Prepare
    const { cache, loads, load } = setup();
    await cache.get("a", load);
    await cache.get("b", load);
    // Act / Assess
    cache.invalidate("a");
    expect(await cache.get("a", load)).toBe("a#3");
    expect(await cache.get("b", load)).toBe("b#2");
    cache.clear();
    expect(await cache.get("a", load)).toBe("a#4");
    expect(await cache.get("b", load)).toBe("b#5");
    expect(loads).toHaveLength(5);
  });

  it("does not let a load that was in flight when the key was invalidated refill the cache", async () => {
    // Prepare: a load reads the old value, then the key changes and is invalidated before it returns
    const { cache, load } = setup();
    const stale = deferred<string>();
    const inFlight = cache.get("a", () => stale.promise);
    // Act
    cache.invalidate("a");
    stale.resolve("old");
    // Assess: the caller that asked still gets its answer, but the next get reads the store again
    expect(await inFlight).toBe("old");
    expect(await cache.get("a", load)).toBe("a#1");
  });

  it("does not let a load that was in flight when the cache was cleared refill it", async () => {
    const { cache, load } = setup();
    const stale = deferred<string>();
    const inFlight = cache.get("a", () => stale.promise);
    cache.clear();
    stale.resolve("old");
    await inFlight;
    expect(await cache.get("a", load)).toBe("a#1");
  });

  it("drops the oldest entry when full", async () => {
    // Prepare
    const { cache, loads, load } = setup({ maxEntries: 2 });
    cache.set("a", "A");
    cache.set("b", "B");
    // Act
    cache.set("a", "A2"); // replacing a key does not evict
    cache.set("c", "C");
    // Assess
    expect(cache.peek("a")).toBeUndefined();
    expect(cache.peek("b")).toBe("B");
    expect(cache.peek("c")).toBe("C");
    expect(await cache.get("a", load)).toBe("a#1");
    expect(loads).toEqual(["a"]);
  });
});
