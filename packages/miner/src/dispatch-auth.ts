import { MemoryNonceStore, isDomainError, systemClock, verifySignedRequest, type LedgerPublicKey } from "@tensornode/core";

/**
 * The miner's `authorize` hook: work is accepted only when signed by the network's dispatch
 * account (the same Hedera request-signing scheme the backend uses, see `@tensornode/core`
 * `signed-request.ts`). Nonces are remembered in memory for the skew window, so a replayed request
 * is refused. Any failure is a 401 with the reason. The body is hashed as the raw bytes received, so
 * multipart uploads (audio) verify exactly as JSON does: sign the bytes you send.
 */
export function dispatchAuthorizer(dispatch: { accountId: string; publicKey: LedgerPublicKey }) {
  const nonces = new MemoryNonceStore();
  return async (request: Request): Promise<void> => {
    const url = new URL(request.url);
    try {
      await verifySignedRequest(
        { publicKeyOf: async (accountId) => (accountId === dispatch.accountId ? dispatch.publicKey : null), nonces, clock: systemClock },
        { method: request.method, path: `${url.pathname}${url.search}`, body: new Uint8Array(await request.arrayBuffer()), headers: (name) => request.headers.get(name) },
      );
    } catch (error) {
      if (isDomainError(error)) throw Object.assign(new Error(`Dispatch signature required: ${error.message}`), { status: 401 });
      throw error;
    }
  };
}
