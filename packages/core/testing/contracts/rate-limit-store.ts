import { describe, expect, it } from "vitest";
import type { RateLimitStore } from "../../src/index.js";
import { uniqueId } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;

/** What every RateLimitStore must do. Keys are unique per test, so stores may share a table. */
export function rateLimitStoreContract(makeStore: Make<RateLimitStore>): void {
  describe("RateLimitStore contract", () => {
    const WINDOW = 1_900_000_020_000;

    it("grants what is asked while the window has room, then what is left, then nothing", async () => {
      const store = await makeStore();
      const key = uniqueId("key");
      expect(await store.claim(key, WINDOW, 4, 10)).toBe(4);
      expect(await store.claim(key, WINDOW, 4, 10)).toBe(4);
      expect(await store.claim(key, WINDOW, 4, 10)).toBe(2);
      expect(await store.claim(key, WINDOW, 1, 10)).toBe(0);
    });

    it("counts each window and each key apart", async () => {
      const store = await makeStore();
      const key = uniqueId("key");
      expect(await store.claim(key, WINDOW, 3, 3)).toBe(3);
      expect(await store.claim(key, WINDOW + 60_000, 3, 3)).toBe(3);
      expect(await store.claim(uniqueId("key"), WINDOW, 3, 3)).toBe(3);
    });

    it("never grants more than the limit to concurrent claims", async () => {
      const store = await makeStore();
      const key = uniqueId("key");
      const granted = await Promise.all(Array.from({ length: 12 }, () => store.claim(key, WINDOW, 2, 15)));
      expect(granted.reduce((a, b) => a + b, 0)).toBe(15);
    });
  });
}
