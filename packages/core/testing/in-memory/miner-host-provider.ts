import { DomainError, type MinerHostProvider, type MinerHostRequest, type MinerHostStatus, type ProvisionedHost } from "../../src/index.js";

interface FakeHost {
  hostId: string;
  name: string;
  request: MinerHostRequest;
  polls: number;
}

/**
 * A MinerHostProvider in memory, scriptable for use-case tests: a host reports `starting` for
 * `bootPolls` status calls, then `running` at `http://<name>.hosts.test`. Failures can be queued
 * for `provision` and `destroy`. Records every call.
 */
export class InMemoryMinerHostProvider implements MinerHostProvider {
  readonly provider = "memory";
  readonly calls: string[] = [];
  readonly #hosts = new Map<string, FakeHost>();
  readonly #provisionFailures: Error[] = [];
  readonly #destroyFailures: Error[] = [];
  #next = 1;
  #failedHosts = new Set<string>();

  constructor(private readonly options: { bootPolls?: number } = {}) {}

  /** The next provision throws this (a DomainError is a permanent refusal). */
  failNextProvision(error: Error = new DomainError("unavailable", "no capacity")): void {
    this.#provisionFailures.push(error);
  }

  /** The next `count` destroy calls throw. */
  failDestroy(count = 1, error: Error = new Error("provider unavailable")): void {
    for (let i = 0; i < count; i++) this.#destroyFailures.push(error);
  }

  /** The host will report `failed`. */
  breakHost(hostId: string): void {
    this.#failedHosts.add(hostId);
  }

  liveHosts(): string[] {
    return [...this.#hosts.keys()];
  }

  /** Whether a live, booted host serves `endpoint` (the fake's stand-in for `GET /health`). */
  isLive(endpoint: string): boolean {
    return [...this.#hosts.values()].some((h) => this.endpointOf(h.name) === endpoint && !this.#failedHosts.has(h.hostId));
  }

  endpointOf(name: string): string {
    return `http://${name}.hosts.test`;
  }

  async provision(request: MinerHostRequest): Promise<ProvisionedHost> {
    this.calls.push(`provision ${request.name}`);
    const failure = this.#provisionFailures.shift();
    if (failure) throw failure;
    const existing = [...this.#hosts.values()].find((h) => h.name === request.name);
    if (existing) return { hostId: existing.hostId, endpoint: null };
    const hostId = `mem-${this.#next++}`;
    this.#hosts.set(hostId, { hostId, name: request.name, request: structuredClone(request), polls: 0 });
    return { hostId, endpoint: null };
  }

  async status(hostId: string): Promise<MinerHostStatus> {
    this.calls.push(`status ${hostId}`);
    const host = this.#hosts.get(hostId);
    if (!host) return { hostId, state: "gone", endpoint: null };
    if (this.#failedHosts.has(hostId)) return { hostId, state: "failed", endpoint: null, detail: "crashed" };
    host.polls++;
    if (host.polls <= (this.options.bootPolls ?? 0)) return { hostId, state: "starting", endpoint: null };
    return { hostId, state: "running", endpoint: this.endpointOf(host.name) };
  }

  async destroy(hostId: string): Promise<void> {
    this.calls.push(`destroy ${hostId}`);
    const failure = this.#destroyFailures.shift();
    if (failure) throw failure;
    this.#hosts.delete(hostId);
  }
}
