import { DomainError, type MinerHostProvider, type MinerHostRequest, type MinerHostStatus, type MinerModel, type ProvisionedHost } from "@tensornode/core";
import { minerCloudInit } from "./cloud-init.js";
import { FluenceApiError, type FluenceClient } from "./fluence-client.js";
import { DEFAULT_OS_IMAGE, deprovision } from "./provisioner.js";
import type { OfferFilter, Vm, VmStatus } from "./types.js";

export interface FluenceHostProviderOptions {
  client: FluenceClient;
  /** Default miner container image (see packages/miner/Dockerfile). */
  image: string;
  /** Default port the miner listens on in the container and on the VM. Default 8080. */
  port?: number;
  /** Raw public keys or saved key names; the API requires at least one. */
  sshKeys: string[];
  offerFilter?: OfferFilter;
  osImage?: string;
  /** Environment every miner container gets (the network's dispatch account and public key). */
  minerEnv: Record<string, string>;
}

/** The env variable through which the container receives its miner config (prices), read by the image's entrypoint. */
export const MINER_CONFIG_ENV = "TENSORNODE_MINER_CONFIG";

const FAILED: ReadonlySet<VmStatus> = new Set(["Terminated", "Stopped", "InsufficientFunds"]);
/** Refusals that will not change on a retry: the request or the account is wrong. */
const PERMANENT = new Set([400, 401, 403, 422]);

/**
 * The core's MinerHostProvider on Fluence CPU Cloud VMs: one VM per miner, booted with a
 * cloud-init that runs the miner container (`minerCloudInit`). Host id = Fluence VM id.
 * `provision` returns after `POST /vms/v3`; the VM's address comes with `status` once Active.
 */
export class FluenceHostProvider implements MinerHostProvider {
  readonly provider = "fluence";
  readonly #o: FluenceHostProviderOptions;

  constructor(options: FluenceHostProviderOptions) {
    this.#o = options;
  }

  async provision(request: MinerHostRequest): Promise<ProvisionedHost> {
    const { name, spec } = request;
    if (!/^[A-Za-z0-9-]{1,63}$/.test(name)) throw new DomainError("invalid_request", `Host name must be 1-63 letters, digits and hyphens: '${name}'.`);
    if (this.#o.sshKeys.length === 0) throw new DomainError("unavailable", "Fluence hosting is not configured: the API requires at least one SSH key.");
    const port = spec.port ?? this.#o.port ?? 8080;
    let userData: string;
    try {
      userData = minerCloudInit({ image: spec.image ?? this.#o.image, port, env: { ...this.#o.minerEnv, [MINER_CONFIG_ENV]: JSON.stringify(minerConfigFor(spec.models)) } });
    } catch (error) {
      throw new DomainError("invalid_request", (error as Error).message);
    }

    const existing = await this.#byName(name);
    if (existing) return { hostId: existing.id, endpoint: endpointOf(existing, port) };
    let created;
    try {
      created = await this.#o.client.createVms({
        constraints: this.#o.offerFilter ?? null,
        instances: 1,
        vmConfiguration: {
          name,
          hostname: name,
          openPorts: [{ port: 22, protocol: "tcp" }, { port, protocol: "tcp" }],
          osImage: this.#o.osImage ?? DEFAULT_OS_IMAGE,
          sshKeys: this.#o.sshKeys,
          userData,
        },
      });
    } catch (error) {
      if (error instanceof FluenceApiError && PERMANENT.has(error.status)) {
        throw new DomainError(error.status === 400 ? "invalid_request" : "unavailable", `Fluence refused the VM: ${error.apiMessage}`);
      }
      // A 5xx or a timeout may have deployed (and billed) the VM anyway: find it by name and delete it.
      await this.#deleteByName(name, error);
      throw error;
    }
    const vmId = created[0]?.vmId;
    if (!vmId) {
      await this.#deleteByName(name, new Error("create returned no VM"));
      throw new Error("Fluence create returned no VM");
    }
    return { hostId: vmId, endpoint: null };
  }

  async status(hostId: string): Promise<MinerHostStatus> {
    const vm = await this.#o.client.getVm(hostId);
    if (!vm) return { hostId, state: "gone", endpoint: null };
    if (FAILED.has(vm.status)) return { hostId, state: "failed", endpoint: null, detail: `VM is ${vm.status}` };
    const endpoint = endpointOf(vm, this.#o.port ?? 8080);
    if (vm.status === "Active" || vm.status === "SmallBalance") {
      if (endpoint) return { hostId, state: "running", endpoint, ...(vm.status === "SmallBalance" ? { detail: "balance is low" } : {}) };
    }
    return { hostId, state: "starting", endpoint: null, detail: `VM is ${vm.status}` };
  }

  async destroy(hostId: string): Promise<void> {
    await deprovision(this.#o.client, hostId);
  }

  async #byName(name: string): Promise<Vm | undefined> {
    return (await this.#o.client.listVms()).find((vm) => vm.vmName === name && !FAILED.has(vm.status));
  }

  async #deleteByName(name: string, cause: unknown): Promise<void> {
    try {
      const leftover = (await this.#o.client.listVms()).filter((vm) => vm.vmName === name);
      for (const vm of leftover) await deprovision(this.#o.client, vm.id);
    } catch (cleanupError) {
      throw new Error(`Fluence create failed (${String(cause)}) and the VM named ${name} could not be checked or deleted (${String(cleanupError)}): delete it by hand`, { cause });
    }
  }
}

/** The miner's URL once the VM has a public address: the port that is not SSH. */
function endpointOf(vm: Vm, fallbackPort: number): string | null {
  if (!vm.publicIp) return null;
  const port = vm.ports.find((p) => p.port !== 22)?.port ?? fallbackPort;
  return `http://${vm.publicIp}:${port}`;
}

/** The reference miner's config (a partial MinerConfig) that charges the requested prices. */
export function minerConfigFor(models: MinerModel[]): Record<string, unknown> {
  const priced = (modality: string) => models.find((m) => m.modality === modality)?.pricePerUnit;
  const config: Record<string, unknown> = {};
  for (const modality of ["llm", "embeddings"]) {
    const price = priced(modality);
    if (price) config[modality] = { price: { unit: "token", tinybarsPerUnit: price } };
  }
  return config;
}
