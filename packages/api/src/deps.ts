import type {
  AccountStore,
  ApiKeyAuthenticator,
  ApiKeyStore,
  InferenceDeps,
  LedgerPublicKey,
  Logger,
  MinerDirectory,
  NonceStore,
  JobProgressStore,
  Principal,
  SubmitJobDeps,
  UsageLedger,
} from "@tensornode/core";

/** Everything the HTTP API needs, resolved lazily once per process by the entry point. */
export interface ApiDeps extends SubmitJobDeps {
  apiKeys: ApiKeyStore;
  /** Cached API key authentication (the hot path). */
  auth: ApiKeyAuthenticator;
  accounts: AccountStore;
  usage: UsageLedger;
  miners: MinerDirectory;
  /** Progress of long jobs (miner hosting); the hosting routes answer 503 without it. */
  progress?: JobProgressStore;
  /** Routing, dispatch, metering and limits for inference requests. */
  inference: InferenceDeps;
  /** Lets miners register loopback/private endpoints (the local runtime); refused otherwise. */
  allowPrivateMinerEndpoints?: boolean;
  /** Replay protection for signed requests. */
  nonces: NonceStore;
  /** An account's public key (the ledger's mirror), for signed requests. */
  publicKeyOf(accountId: string): Promise<LedgerPublicKey | null>;
  /** Where developers send HBAR to top up (memo = their account id); undefined when deposits are off. */
  treasuryAccountId(): Promise<string | undefined>;
  logger: Logger;
  /** JSON bodies larger than this get 413. */
  maxBodyBytes: number;
  /** Multipart uploads (audio) larger than this get 413. */
  maxUploadBytes: number;
  version: string;
}

export type ResolveDeps = () => ApiDeps;

/** Typed context variables shared by the middleware and the routes. */
export interface ApiEnv {
  Variables: {
    deps: ApiDeps;
    requestId: string;
    ownerId: string;
    /** The API key behind the request (API-key routes only). */
    principal: Principal;
    /** The Hedera account that signed the request (signed routes only). */
    signer: string;
  };
}
