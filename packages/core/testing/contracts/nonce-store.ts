import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { NonceStore } from "../../src/index.js";

type Make<T> = () => Promise<T> | T;

/** What every NonceStore must do: accept a nonce once per account, refuse it while it is live. */
export function nonceStoreContract(makeStore: Make<NonceStore>): void {
  describe("NonceStore contract", () => {
    const later = () => new Date(Date.now() + 60_000);

    it("accepts a new nonce and refuses the same nonce again from the same account", async () => {
      const store = await makeStore();
      const nonce = randomUUID();
      expect(await store.remember("0.0.1001", nonce, later())).toBe(true);
      expect(await store.remember("0.0.1001", nonce, later())).toBe(false);
    });

    it("keeps accounts apart: the same nonce from another account is new", async () => {
      const store = await makeStore();
      const nonce = randomUUID();
      expect(await store.remember("0.0.1001", nonce, later())).toBe(true);
      expect(await store.remember("0.0.1002", nonce, later())).toBe(true);
    });

    it("accepts one of two concurrent uses of a nonce, never both", async () => {
      const store = await makeStore();
      const nonce = randomUUID();
      const results = await Promise.all([store.remember("0.0.1001", nonce, later()), store.remember("0.0.1001", nonce, later())]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
