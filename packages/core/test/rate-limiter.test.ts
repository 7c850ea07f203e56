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

  it("claims in chunks that grow with use, so a busy key costs one store call per 20th of its limit", async () => {
    const { clock, store, limiters } = instances(1);
    // Chunks of 1, 2, 4, 8, 16, then 30 (a 20th of 600): 6 claims for the first 61, then one per 30.
    expect(await takeMany(limiters[0]!, "key_a", 600, 300)).toBe(300);
    expect(store.claims).toBe(5 + Math.ceil((300 - 31) / 30));
    // The next minute starts at a tenth of what this instance used (30, the cap).
    clock.advance(60_000);
    const before = store.claims;
    expect(await takeMany(limiters[0]!, "key_a", 600, 300)).toBe(300);
    expect(store.claims - before).toBe(10);
  });

  it("an instance that sees a key rarely holds back little of it", async () => {
    const { store, limiters } = instances(2);
    expect((await limiters[0]!.take("key_a", 600)).allowed).toBe(true);
    // One request claimed one: the other instance can still have all the rest.
    let allowed = 0;
    for (let i = 0; i < 700; i++) if ((await limiters[1]!.take("key_a", 600)).allowed) allowed++;
    expect(allowed).toBe(599);
    expect(store.claims).toBeGreaterThan(1);
  });

  it("makes concurrent requests of a key wait for one claim at a time", async () => {
    const { store, limiters } = instances(1);
    const decisions = await Promise.all(Array.from({ length: 5 }, () => limiters[0]!.take("key_a", 100)));
    expect(decisions.every((d) => d.allowed)).toBe(true);
    // Claims of 1, 2 and 4 cover the five; one claim per request would have been 5.
    expect(store.claims).toBe(3);
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
    // Prepare: two instances sharing a store whose claims can be held back.
    const clock = new FixedClock("2030-01-01T00:00:59.000Z");
    const inner = new InMemoryRateLimitStore();
    let hold: Promise<void> | undefined;
    const store = { claim: async (...args: Parameters<InMemoryRateLimitStore["claim"]>) => (await hold, inner.claim(...args)) };
    const [x, y] = [new RateLimiter(clock, { store, logger: new RecordingLogger() }), new RateLimiter(clock, { store, logger: new RecordingLogger() })];
    // 22 requests use up claims of 1, 2, 4, 5, 5 and 5 exactly, and size x's first claim of the next minute at 3.
    expect(await takeMany(x, "key_a", 100, 22)).toBe(22);
    clock.advance(990);
    let releaseOld!: () => void;
    hold = new Promise((resolve) => (releaseOld = resolve));
    const old = x.take("key_a", 100);
    await Promise.resolve();
    hold = undefined;
    clock.advance(20);
    // Act: the new minute's first request claims and is served while the old claim still waits.
    expect(await x.take("key_a", 100)).toEqual({ allowed: true });
    releaseOld();
    expect(await old).toEqual({ allowed: true });
    // Assess: nothing claimed in the new minute was dropped (2 of x's 3 are left): the two instances admit exactly the limit.
    let allowed = 1;
    for (let i = 0; i < 150; i++) for (const limiter of [x, y]) if ((await limiter.take("key_a", 100)).allowed) allowed++;
    expect(allowed).toBe(100);
  });

  it("fails open when the store does not answer in time, and waits for it only once a minute", async () => {
    const clock = new FixedClock("2030-01-01T00:00:10.000Z");
    const logger = new RecordingLogger();
    let claims = 0;
    const limiter = new RateLimiter(clock, { store: { claim: () => (claims++, new Promise<number>(() => {})) }, logger, claimTimeoutMs: 20 });
    const decisions = await Promise.all(Array.from({ length: 30 }, () => limiter.take("key_a", 60)));
    // Thirty concurrent requests waited for one claim's timeout, not for one after another.
    expect(decisions.every((d) => d.allowed)).toBe(true);
    expect(claims).toBe(1);
    expect(logger.at("warn")).toHaveLength(1);
    expect(logger.at("warn")[0]?.attributes).toMatchObject({ error: "Error: no answer within 20 ms" });
    // The next minute asks the store again.
    clock.advance(60_000);
    await limiter.take("key_a", 60);
    expect(claims).toBe(2);
  });

  it("falls back to the instance's own limit, with a warning, when the store fails", async () => {
    const { store, logger, limiters } = instances(1);
    store.failing = true;
    expect(await takeMany(limiters[0]!, "key_a", 3, 4)).toBe(3);
    expect(logger.at("warn").map((entry) => entry.message)).toEqual(["shared rate limit unavailable; limiting on this instance alone for the rest of the minute"]);
  });
});
