import type { NonceStore } from "./signed-request.js";

/**
 * Nonces in process memory, for a verifier that runs as one process (a miner checking the network's
 * dispatch signatures). Entries are dropped once expired, so memory stays bounded by the request
 * rate over the skew window. Serverless verifiers use the DynamoDB store instead.
 */
export class MemoryNonceStore implements NonceStore {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async remember(accountId: string, nonce: string, expiresAt: Date): Promise<boolean> {
    const current = this.now();
    if (this.seen.size > 10_000) for (const [key, expiry] of this.seen) if (expiry <= current) this.seen.delete(key);
    const key = `${accountId}|${nonce}`;
    const expiry = this.seen.get(key);
    if (expiry !== undefined && expiry > current) return false;
    this.seen.set(key, expiresAt.getTime());
    return true;
  }
}
