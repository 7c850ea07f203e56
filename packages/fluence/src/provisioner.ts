import { minerCloudInit } from "./cloud-init.js";
import { FluenceApiError, FluenceTimeoutError, type FluenceClient } from "./fluence-client.js";
import type { OfferFilter, OpenPort, Vm, VmStatus } from "./types.js";

export const DEFAULT_OS_IMAGE =
  "https://cloud-images.ubuntu.com/releases/22.04/release/ubuntu-22.04-server-cloudimg-amd64.img";

export type ProvisionStep =
  | { step: "creating"; name: string }
  | { step: "created"; vmId: string }
  | { step: "waiting"; vmId: string; status: VmStatus; publicIp: string | null }
  | { step: "active"; vmId: string; publicIp: string }
  | { step: "unreachable"; vmId: string; url: string }
  | { step: "reachable"; vmId: string; url: string }
  | { step: "deleting"; vmId: string; reason: string }
  | { step: "deleted"; vmId: string };

export interface ProvisionOptions {
  offerFilter?: OfferFilter;
  /** Miner container image. */
  image: string;
  minerEnv: Record<string, string>;
  /** Port the miner listens on and that is opened on the VM. Default minerEnv.PORT or 8080. */
  minerPort?: number;
  /** Required by the API: at least one raw public key or saved key name. */
  sshKeys: string[];
  /** Alphanumerics and hyphens. Default "tensornode-miner". */
  name?: string;
  osImage?: string;
  waitTimeoutMs: number;
  pollMs: number;
  onProgress?: (step: ProvisionStep) => void;
  /** Whether the miner answers at `url`; default GET `${url}/health` is 2xx within 5 s. */
  reachable?: (url: string) => Promise<boolean>;
}

export interface ProvisionedMiner {
  vmId: string;
  vmName: string;
  publicIp: string;
  port: number;
  url: string;
  vm: Vm;
}

export class ProvisionError extends Error {
  override readonly name = "ProvisionError";
  constructor(
    message: string,
    readonly vmId: string | undefined,
    /** Whether the VM was deleted after the failure (undefined: none was created). */
    readonly deleted: boolean | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const FAILED_STATUSES: ReadonlySet<VmStatus> = new Set(["Terminated", "Stopped", "InsufficientFunds"]);

export async function defaultReachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

/** Creates one VM running the miner container and waits until its /health answers; deletes it on failure. */
export async function provisionMinerVm(client: FluenceClient, options: ProvisionOptions): Promise<ProvisionedMiner> {
  const progress = options.onProgress ?? (() => {});
  const reachable = options.reachable ?? defaultReachable;
  const port = options.minerPort ?? (options.minerEnv.PORT ? Number(options.minerEnv.PORT) : 8080);
  const name = options.name ?? "tensornode-miner";
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new RangeError(`VM name must be alphanumerics and hyphens: ${JSON.stringify(name)}`);
  if (options.sshKeys.length === 0) throw new RangeError("at least one SSH key is required by the Fluence API");
  const userData = minerCloudInit({ image: options.image, env: options.minerEnv, port });
  const openPorts: OpenPort[] = [
    { port: 22, protocol: "tcp" },
    { port, protocol: "tcp" },
  ];
  const deadline = Date.now() + options.waitTimeoutMs;

  progress({ step: "creating", name });
  const created = await client.createVms({
    constraints: options.offerFilter ?? null,
    instances: 1,
    vmConfiguration: { name, hostname: name, openPorts, osImage: options.osImage ?? DEFAULT_OS_IMAGE, sshKeys: options.sshKeys, userData },
  });
  const first = created[0];
  if (!first) throw new ProvisionError("Fluence create returned no VM", undefined, undefined);
  const vmId = first.vmId;
  progress({ step: "created", vmId });

  try {
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`not reachable within ${options.waitTimeoutMs} ms`);
      let vm: Vm | undefined;
      try {
        vm = await client.getVm(vmId, { timeoutMs: Math.max(1, Math.min(remaining, 15_000)) });
      } catch (err) {
        if (err instanceof FluenceTimeoutError) continue; // the deadline check above decides
        throw err;
      }
      if (!vm) throw new Error(`VM ${vmId} is no longer listed`);
      if (FAILED_STATUSES.has(vm.status)) throw new Error(`VM ${vmId} is ${vm.status}`);
      if (vm.status === "Active" && vm.publicIp) {
        progress({ step: "active", vmId, publicIp: vm.publicIp });
        const url = `http://${vm.publicIp}:${port}`;
        if (await reachable(url)) {
          progress({ step: "reachable", vmId, url });
          return { vmId, vmName: vm.vmName, publicIp: vm.publicIp, port, url, vm };
        }
        progress({ step: "unreachable", vmId, url });
      } else {
        progress({ step: "waiting", vmId, status: vm.status, publicIp: vm.publicIp });
      }
      const wait = Math.min(options.pollMs, deadline - Date.now());
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    progress({ step: "deleting", vmId, reason });
    let deleted = false;
    try {
      await client.deleteVms([vmId]);
      deleted = true;
      progress({ step: "deleted", vmId });
    } catch (err) {
      // Already gone counts as deleted; anything else leaves a VM the caller must clean up.
      deleted = err instanceof FluenceApiError && err.status === 404;
    }
    throw new ProvisionError(
      `provisioning ${vmId} failed: ${reason}${deleted ? " (VM deleted)" : " (VM NOT deleted: delete it by hand)"}`,
      vmId,
      deleted,
      { cause },
    );
  }
}

/** Deletes the VM; a VM that is already gone is not an error. */
export async function deprovision(client: FluenceClient, vmId: string): Promise<void> {
  try {
    await client.deleteVms([vmId]);
  } catch (err) {
    if (err instanceof FluenceApiError && err.status === 404) return;
    throw err;
  }
}
