import type { ApiKeyStore, Logger, SubmitJobDeps } from "@tensornode/core";

/** Everything the HTTP API needs, resolved lazily once per process by the entry point. */
export interface ApiDeps extends SubmitJobDeps {
  apiKeys: ApiKeyStore;
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
  };
}
