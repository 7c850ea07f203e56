import type { ApiKeyStore, LedgerPublicKey, Logger, MinerDirectory, NonceStore, SubmitJobDeps } from "@tensornode/core";

/** Everything the HTTP API needs, resolved lazily once per process by the entry point. */
export interface ApiDeps extends SubmitJobDeps {
  apiKeys: ApiKeyStore;
  miners: MinerDirectory;
  /** Replay protection for signed requests. */
  nonces: NonceStore;
  /** An account's public key (the ledger's mirror), for signed requests. */
  publicKeyOf(accountId: string): Promise<LedgerPublicKey | null>;
  logger: Logger;
  /** JSON bodies larger than this get 413. */
  maxBodyBytes: number;
  version: string;
}

export type ResolveDeps = () => ApiDeps;

/** Typed context variables shared by the middleware and the routes. */
export interface ApiEnv {
  Variables: {
    deps: ApiDeps;
    requestId: string;
    ownerId: string;
    /** The Hedera account that signed the request (signed routes only). */
    signer: string;
  };
}
