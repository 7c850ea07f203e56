import { describe, expect, it } from "vitest";
import { RateLimiter } from "../src/index.js";
import { FixedClock } from "../testing/index.js";

function setup() {
  const clock = new FixedClock("2030-01-01T00:00:00.000Z");
  return { clock, limiter: new RateLimiter(clock) };
}

/** Takes `n` requests and says how many were allowed. */
function takeMany(limiter: RateLimiter, key: string, perMinute: number, n: number): number {
  let allowed = 0;
  for (let i = 0; i < n; i++) if (limiter.take(key, perMinute).allowed) allowed++;
  return allowed;
}

describe("RateLimiter", () => {
  it("lets a key burst up to its whole minute, then refuses with Retry-After", () => {
    // Prepare
    const { limiter } = setup();
    // Act
    const allowed = takeMany(limiter, "key_a", 60, 60);
    const refused = limiter.take("key_a", 60);
    // Assess
    expect(allowed).toBe(60);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("refills continuously: one request per second at 60 per minute", () => {
    // Prepare
    const { clock, limiter } = setup();
    takeMany(limiter, "key_a", 60, 60);
    // Act / Assess
    clock.advance(999);
    expect(limiter.take("key_a", 60).allowed).toBe(false);
    clock.advance(1);
    expect(limiter.take("key_a", 60)).toEqual({ allowed: true });
    expect(limiter.take("key_a", 60).allowed).toBe(false);
    clock.advance(5_000);
    expect(takeMany(limiter, "key_a", 60, 10)).toBe(5);
  });

  it("says how long until the next request is free", () => {
    // Prepare
    const { clock, limiter } = setup();
    expect(limiter.take("key_a", 1)).toEqual({ allowed: true });
    // Act / Assess
    expect(limiter.take("key_a", 1)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    clock.advance(30_000);
    expect(limiter.take("key_a", 1)).toEqual({ allowed: false, retryAfterSeconds: 30 });
    clock.advance(29_001);
    expect(limiter.take("key_a", 1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(999);
    expect(limiter.take("key_a", 1)).toEqual({ allowed: true });
  });

  it("never says to retry in less than a second", () => {
    const { limiter } = setup();
    takeMany(limiter, "key_a", 6_000, 6_000);
    expect(limiter.take("key_a", 6_000)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("keeps each key's bucket apart", () => {
    const { limiter } = setup();
    takeMany(limiter, "key_a", 2, 2);
    expect(limiter.take("key_a", 2).allowed).toBe(false);
    expect(limiter.take("key_b", 2)).toEqual({ allowed: true });
  });

  it("does not save up more than one minute's worth while idle", () => {
    const { clock, limiter } = setup();
    takeMany(limiter, "key_a", 10, 10);
    clock.advance(3_600_000);
    expect(takeMany(limiter, "key_a", 10, 20)).toBe(10);
  });

  it("applies a lowered limit at once", () => {
    const { limiter } = setup();
    expect(takeMany(limiter, "key_a", 100, 1)).toBe(1);
    expect(takeMany(limiter, "key_a", 3, 10)).toBe(3);
  });
});
