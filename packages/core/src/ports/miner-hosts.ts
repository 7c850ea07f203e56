import type { MinerModel } from "../miners/miner.js";

/**
 * What a miner host runs. Providers that run containers (Fluence) use `image` and `port`; the local
 * provider always runs the reference miner from the repository and ignores `image`.
 */
export interface MinerHostSpec {
  /** Container image reference; the provider's default when omitted. */
  image?: string;
  /** Port the miner listens on inside the host; the provider's default when omitted. */
  port?: number;
  /** Models the miner serves and their prices; the miner is registered with exactly these. */
  models: MinerModel[];
}

export interface MinerHostRequest {
  /** The miner's Hedera account id (the host is billed to and registered for it). */
  accountId: string;
  /**
   * A name unique to this request (letters, digits and hyphens). Provisioning with a name that
   * already has a live host returns that host, so a retried request never creates a second one.
   */
  name: string;
  spec: MinerHostSpec;
}

export interface ProvisionedHost {
  hostId: string;
  /** The miner's base URL once known; a VM gets its public address only when it is running. */
  endpoint: string | null;
}

/** `starting`: being created or booted. `running`: up at `endpoint`. `failed`: will not come up. `gone`: does not exist (any more). */
export type MinerHostState = "starting" | "running" | "failed" | "gone";

export interface MinerHostStatus {
  hostId: string;
  state: MinerHostState;
  endpoint: string | null;
  detail?: string;
}

/**
 * Creates, inspects and destroys the machines miners run on (Fluence VMs in production, local
 * processes on 127.0.0.1). Rules every adapter follows (`minerHostProviderContract`):
 * - `provision` returns once the provider accepted the host, without waiting for it to boot
 *   (a VM takes minutes; callers poll `status`). It is idempotent by `request.name`.
 * - A `provision` that throws leaves no host behind. A DomainError means the provider refused the
 *   request for good (no offer, bad credentials); any other error may be retried.
 * - `destroy` is idempotent: destroying a host that is already gone succeeds.
 * - `status` of an unknown host is `gone`, never an error.
 */
export interface MinerHostProvider {
  /** The provider's name, stored with the host binding ("fluence", "local"). */
  readonly provider: string;
  provision(request: MinerHostRequest): Promise<ProvisionedHost>;
  status(hostId: string): Promise<MinerHostStatus>;
  destroy(hostId: string): Promise<void>;
}
