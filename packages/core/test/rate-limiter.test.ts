import { describe, expect, it } from "vitest";
import { RateLimiter } from "../src/index.js";
import { FixedClock, InMemoryRateLimitStore } from "../testing/index.js";
import { RecordingLogger } from "./support/recording-logger.js";

function setup() {
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  return { clock, limiter: new RateLimiter(clock) };
}

/** Takes `n` requests and says how many were allowed. */
async function takeMany(limiter: RateLimiter, key: string, perMinute: number, n: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < n; i++) if ((await limiter.take(key, perMinute)).allowed) allowed++;
  return allowed;
}

describe("RateLimiter, in one instance", () => {
  it("lets a key burst up to its whole minute, then refuses with Retry-After", async () => {
    // Prepare
    const { limiter } = setup();
    // Act
    const allowed = await takeMany(limiter, "key_a", 60, 60);
    const refused = await limiter.take("key_a", 60);
    // Assess
    expect(allowed).toBe(60);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("refills continuously: one request per second at 60 per minute", async () => {
    // Prepare
    const { clock, limiter } = setup();
    await takeMany(limiter, "key_a", 60, 60);
    // Act / Assess
    clock.advance(999);
    expect((await limiter.take("key_a", 60)).allowed).toBe(false);
    clock.advance(1);
    expect(await limiter.take("key_a", 60)).toEqual({ allowed: true });
    expect((await limiter.take("key_a", 60)).allowed).toBe(false);
    clock.advance(5_000);
    expect(await takeMany(limiter, "key_a", 60, 10)).toBe(5);
  });

  it("says how long until the next request is free", async () => {
    // Prepare
    const { clock, limiter } = setup();
    expect(await limiter.take("key_a", 1)).toEqual({ allowed: true });
    // Act / Assess
    expect(await limiter.take("key_a", 1)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    clock.advance(30_000);
    expect(await limiter.take("key_a", 1)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    clock.advance(29_001);
    expect(await limiter.take("key_a", 1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(999);
    expect(await limiter.take("key_a", 1)).toEqual({ allowed: true });
  });

  it("never says to retry in less than a second", async () => {
    const { limiter } = setup();
    await takeMany(limiter, "key_a", 6_000, 6_000);
    expect(await limiter.take("key_a", 6_000)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("keeps each key's bucket apart", async () => {
    const { limiter } = setup();
    await takeMany(limiter, "key_a", 2, 2);
    expect((await limiter.take("key_a", 2)).allowed).toBe(false);
    expect(await limiter.take("key_b", 2)).toEqual({ allowed: true });
  });

  it("does not save up more than one minute's worth while idle", async () => {
    const { clock, limiter } = setup();
    await takeMany(limiter, "key_a", 10, 10);
    clock.advance(3_600_000);
    expect(await takeMany(limiter, "key_a", 10, 20)).toBe(10);
  });

  it("applies a lowered limit at once", async () => {
    const { limiter } = setup();
    expect(await takeMany(limiter, "key_a", 100, 1)).toBe(1);
    expect(await takeMany(limiter, "key_a", 3, 10)).toBe(3);
  });
});

describe("RateLimiter, shared by instances", () => {
  function instances(count: number) {
    const clock = new FixedClock("2030-01-01T00:00:10.000Z");
    const store = new InMemoryRateLimitStore();
    const logger = new RecordingLogger();
    return { clock, store, logger, limiters: Array.from({ length: count }, () => new RateLimiter(clock, { store, logger })) };
  }

  it("never admits more than the limit in a minute across instances, and says when the minute ends", async () => {
    // Prepare: three API instances, each of which alone would allow 40 a minute.
    const { clock, limiters } = instances(3);
    // Act
    let allowed = 0;
    for (let i = 0; i < 30; i++) for (const limiter of limiters) if ((await limiter.take("key_a", 40)).allowed) allowed++;
    // Assess
    expect(allowed).toBe(40);
    expect(await limiters[0]!.take("key_a", 40)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    // The next minute has a fresh count (and the buckets have refilled).
    clock.advance(50_000);
    expect(await limiters[1]!.take("key_a", 40)).toEqual({ allowed: true });
  });

  it("claims in chunks, so a busy key costs one store call per 20th of its limit", async () => {
    const { store, limiters } = instances(1);
    expect(await takeMany(limiters[0]!, "key_a", 600, 300)).toBe(300);
    expect(store.claims).toBe(10);
  });

  it("makes one claim for concurrent requests of a key", async () => {
    const { store, limiters } = instances(1);
    const decisions = await Promise.all(Array.from({ length: 5 }, () => limiters[0]!.take("key_a", 100)));
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(store.claims).toBe(1);
  });

  it("a refusal by the shared count leaves the instance's own bucket untouched", async () => {
    const { clock, limiters } = instances(2);
    expect(await takeMany(limiters[0]!, "key_a", 2, 2)).toBe(2);
    expect((await limiters[1]!.take("key_a", 2)).allowed).toBe(false);
    clock.advance(50_000);
    // Instance 1's bucket still holds both requests for the new minute.
    expect(await takeMany(limiters[1]!, "key_a", 2, 2)).toBe(2);
  });

  it("keeps the new minute's claim when a request of the old minute finishes its claim late", async () => {
    // Prepare: a store whose claims can be held back.
    const clock = new FixedClock("2030-01-01T00:00:59.990Z");
    const inner = new InMemoryRateLimitStore();
    let hold: Promise<void> | undefined;
    const store = { claims: 0, claim: async (...args: Parameters<InMemoryRateLimitStore["claim"]>) => (store.claims++, await hold, inner.claim(...args)) };
    const limiter = new RateLimiter(clock, { store, logger: new RecordingLogger() });
    let releaseOld!: () => void;
    hold = new Promise((resolve) => (releaseOld = resolve));
    const old = limiter.take("key_a", 100);
    await Promise.resolve();
    hold = undefined;
    clock.advance(20);
    // Act: the new minute's first request claims and is served while the old claim still waits.
    expect(await limiter.take("key_a", 100)).toEqual({ allowed: true });
    releaseOld();
    expect(await old).toEqual({ allowed: true });
    // Assess: the new minute's lease (5 claimed, 1 used) is intact: 4 more need no new claim.
    const claimsBefore = store.claims;
    for (let i = 0; i < 4; i++) expect((await limiter.take("key_a", 100)).allowed).toBe(true);
    expect(store.claims).toBe(claimsBefore);
  });

  it("fails open when the store does not answer in time", async () => {
    const clock = new FixedClock("2030-01-01T00:00:10.000Z");
    const logger = new RecordingLogger();
    const limiter = new RateLimiter(clock, { store: { claim: () => new Promise<number>(() => {}) }, logger, claimTimeoutMs: 20 });
    expect(await limiter.take("key_a", 10)).toEqual({ allowed: true });
    expect(logger.at("warn")[0]?.attributes).toMatchObject({ error: "Error: no answer within 20 ms" });
  });

  it("falls back to the instance's own limit, with a warning, when the store fails", async () => {
    const { store, logger, limiters } = instances(1);
    store.failing = true;
    expect(await takeMany(limiters[0]!, "key_a", 3, 4)).toBe(3);
    expect(logger.at("warn").map((entry) => entry.message)).toContain("shared rate limit unavailable; limiting on this instance alone");
  });
});
