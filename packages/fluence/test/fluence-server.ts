/**
 * A local peer for the Fluence CPU Cloud API on 127.0.0.1, speaking the documented request and
 * response shapes (see ../README.md). VMs live in memory and move New → Launching → Active over a
 * configurable number of list polls; an Active VM gets `publicIp` (default 127.0.0.1) and the open
 * ports it was created with, so a test can point a VM at a real local HTTP server.
 *
 * Documented: 403 {"error"} for a missing/bad key, 422 {"error":"Not enough offers found"} /
 * {"error":"No suitable offer found"}. Guessed (not in the docs): 400 {"error"} for validation,
 * 404 {"error"} for an unknown VM id, 429 with Retry-After.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { addDecimal, compareDecimal, isDecimalString, multiplyDecimal } from "../src/money.js";
import type { CreateVmsRequest, DefaultImage, EstimateRequest, Offer, OfferFilter, OpenPort, Vm } from "../src/types.js";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface FakeFluenceOptions {
  apiKey?: string;
  /** Accept `Authorization: Bearer <key>` as well as X-API-KEY. Default true. */
  acceptBearer?: boolean;
  /** Polls (GET /vms/v3) a VM spends in New before Launching. Default 1. */
  pollsInNew?: number;
  /** Polls a VM spends in Launching before Active. Default 1. Infinity: never Active. */
  pollsInLaunching?: number;
  publicIp?: string;
  offers?: Offer[];
}

interface StoredVm {
  vm: Vm;
  polls: number;
  userData: string | undefined;
}

const IMAGE_EXT = /\.(qcow2|img|raw|raw\.xz|raw\.gz|img\.xz|img\.gz)$/;

export function sampleOffers(): Offer[] {
  const offer = (slug: string, price: string, country: string, available: number): Offer => ({
    configuration: { slug, price },
    resources: [
      { type: "VCPU", metadata: { manufacturer: "AMD", architecture: "Zen" }, price: "0" },
      { type: "RAM", metadata: { type: "DDR", generation: "5" }, price: "0" },
      { type: "STORAGE", metadata: { type: "NVMe" }, price: "0" },
      { type: "PUBLIC_IP", metadata: { version: "4" }, price: "0" },
    ],
    datacenter: { countryCode: country, cityCode: country === "FR" ? "PAR" : "FRA", cityIndex: 1, tier: 3, certifications: ["ISO27001"] },
    servers: [{ availableBasicInstances: available, additionalResources: [] }],
    maxAdditionalSupply: [],
  });
  return [
    offer("cpu-2-ram-4gb-storage-25gb", "0.35793", "FR", 3),
    offer("cpu-4-ram-8gb-storage-25gb", "1.2176", "DE", 2),
    offer("cpu-8-ram-16gb-storage-25gb", "2.4352", "FR", 1),
  ];
}

const DEFAULT_IMAGES: DefaultImage[] = [
  {
    id: "1",
    name: "22.04 (LTS) x64",
    distribution: "Ubuntu",
    slug: "ubuntu-22-04-x64",
    downloadUrl: "https://cloud-images.ubuntu.com/releases/22.04/release/ubuntu-22.04-server-cloudimg-amd64.img",
    username: "ubuntu",
  },
];

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class FakeFluenceServer {
  readonly apiKey: string;
  readonly requests: RecordedRequest[] = [];
  readonly vms = new Map<string, StoredVm>();
  url = "";
  private server: Server | undefined;
  private readonly offers: Offer[];
  private queued: Array<{ status: number; headers?: Record<string, string>; body?: unknown }> = [];
  private delayMs = 0;
  private routeFailures: Array<{ route: string; status: number; message: string; afterHandling: boolean }> = [];
  private counter = 0;

  constructor(private readonly options: FakeFluenceOptions = {}) {
    this.apiKey = options.apiKey ?? "test-key";
    this.offers = options.offers ?? sampleOffers();
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }

  /** The next request is answered 429 with `Retry-After: <seconds>`. */
  rateLimitOnce(retryAfterSeconds = 1): void {
    this.queued.push({ status: 429, headers: { "retry-after": String(retryAfterSeconds) }, body: { error: "Too many requests" } });
  }

  /** The next request is answered with this status and `{"error": message}`. */
  failOnce(status: number, message = "Internal server error"): void {
    this.queued.push({ status, body: { error: message } });
  }

  /**
   * The next request to `route` ("POST /vms/v3") is answered with this status and `{"error": message}`;
   * with `afterHandling` the request takes effect first (a create that deploys, then errors).
   */
  failRouteOnce(route: string, status: number, message = "Internal server error", options: { afterHandling?: boolean } = {}): void {
    this.routeFailures.push({ route, status, message, afterHandling: options.afterHandling ?? false });
  }

  /** Delay every answer by ms (to exercise client timeouts). */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  userDataOf(vmId: string): string | undefined {
    return this.vms.get(vmId)?.userData;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      this.requests.push({ method, path, headers: req.headers, body: raw });
      return this.send(res, 400, { error: "Malformed JSON body" });
    }
    this.requests.push({ method, path, headers: req.headers, body });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (res.destroyed) return;

    const queued = this.queued.shift();
    if (queued) return this.send(res, queued.status, queued.body, queued.headers);

    const bearer = this.options.acceptBearer !== false && req.headers.authorization === `Bearer ${this.apiKey}`;
    if (req.headers["x-api-key"] !== this.apiKey && !bearer) return this.send(res, 403, { error: "Invalid or missing API key" });

    try {
      const route = `${method} ${path}`;
      const failureAt = this.routeFailures.findIndex((f) => f.route === route);
      const failure = failureAt >= 0 ? this.routeFailures.splice(failureAt, 1)[0] : undefined;
      if (failure) {
        if (failure.afterHandling && route === "POST /vms/v3") this.create(body);
        return this.send(res, failure.status, { error: failure.message });
      }
      switch (route) {
        case "POST /marketplace/offers":
          return this.send(res, 200, this.match(this.filterOf(body ?? {})));
        case "POST /vms/v3/estimate":
          return this.send(res, 200, this.estimate(body));
        case "POST /vms/v3":
          return this.send(res, 200, this.create(body));
        case "GET /vms/v3":
          return this.send(res, 200, this.list());
        case "PATCH /vms/v3":
          this.patch(body);
          return this.send(res, 204);
        case "DELETE /vms/v3":
          this.delete(body);
          return this.send(res, 200);
        case "GET /vms/v3/default_images":
          return this.send(res, 200, DEFAULT_IMAGES);
        default:
          return this.send(res, 404, { error: `No route ${route}` });
      }
    } catch (err) {
      if (err instanceof HttpError) return this.send(res, err.status, { error: err.message });
      return this.send(res, 500, { error: String(err) });
    }
  }

  private send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    if (body === undefined) return void res.writeHead(status, headers).end();
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  }

  private filterOf(value: unknown): OfferFilter {
    if (value === null || value === undefined) return {};
    if (typeof value !== "object" || Array.isArray(value)) throw new HttpError(400, "constraints must be an object");
    const filter = value as OfferFilter;
    if (filter.maxTotalPricePerEpochUsd != null && !isDecimalString(filter.maxTotalPricePerEpochUsd)) {
      throw new HttpError(400, "maxTotalPricePerEpochUsd must be a decimal string");
    }
    if (filter.additionalResources && !filter.hardware?.storage) {
      throw new HttpError(400, "additionalResources requires hardware.storage");
    }
    return filter;
  }

  /** Matching offers, cheapest first. */
  private match(filter: OfferFilter): Offer[] {
    return this.offers
      .filter((o) => !filter.basicConfiguration || o.configuration.slug === filter.basicConfiguration)
      .filter((o) => !filter.datacenter?.countries?.length || filter.datacenter.countries.includes(o.datacenter.countryCode))
      .filter((o) => !filter.maxTotalPricePerEpochUsd || compareDecimal(o.configuration.price, filter.maxTotalPricePerEpochUsd) <= 0)
      .sort((a, b) => compareDecimal(a.configuration.price, b.configuration.price));
  }

  private instancesOf(body: unknown): number {
    const instances = (body as { instances?: unknown } | undefined)?.instances;
    if (typeof instances !== "number" || !Number.isInteger(instances) || instances < 1) {
      throw new HttpError(400, "instances must be a positive integer");
    }
    return instances;
  }

  /** Prices per instance for `instances` slots from the cheapest matching offers, or 422. */
  private pick(constraints: unknown, instances: number, error: string): Array<{ offer: Offer; price: string }> {
    const picked: Array<{ offer: Offer; price: string }> = [];
    for (const offer of this.match(this.filterOf(constraints))) {
      const available = offer.servers.reduce((n, s) => n + s.availableBasicInstances, 0);
      for (let i = 0; i < available && picked.length < instances; i++) picked.push({ offer, price: offer.configuration.price });
    }
    if (picked.length === 0) throw new HttpError(422, error);
    if (picked.length < instances) throw new HttpError(422, "Not enough offers found");
    return picked;
  }

  private estimate(body: unknown) {
    const request = (body ?? {}) as EstimateRequest;
    const instances = this.instancesOf(request);
    const picked = this.pick(request.constraints, instances, "Not enough offers found");
    const total = picked.reduce((sum, p) => addDecimal(sum, p.price), "0");
    const max = picked.reduce((m, p) => (compareDecimal(p.price, m) > 0 ? p.price : m), "0");
    return { depositAmountUsdc: multiplyDecimal(total, 2), depositEpochs: 2, totalPricePerEpoch: total, maxPricePerEpoch: max, instances };
  }

  private create(body: unknown) {
    const request = (body ?? {}) as CreateVmsRequest;
    const instances = this.instancesOf(request);
    const config = request.vmConfiguration;
    if (!config || typeof config !== "object") throw new HttpError(400, "vmConfiguration is required");
    if (typeof config.name !== "string" || !/^[A-Za-z0-9-]+$/.test(config.name)) {
      throw new HttpError(400, "name may contain only alphanumeric characters and hyphens");
    }
    if (typeof config.osImage !== "string" || !IMAGE_EXT.test(config.osImage)) throw new HttpError(400, "unsupported osImage format");
    if (!Array.isArray(config.sshKeys) || config.sshKeys.length === 0) throw new HttpError(400, "at least one SSH key is required");
    const ports = this.portsOf(config.openPorts ?? []);
    const picked = this.pick(request.constraints, instances, "No suitable offer found");
    const now = new Date();
    return picked.map(({ offer, price }) => {
      const id = `0x${(++this.counter).toString(16).padStart(40, "0")}`;
      const vm: Vm = {
        id,
        vmName: config.name,
        status: "New",
        pricePerEpoch: price,
        resources: [
          { type: "VCPU", quantity: 2, details: {}, metadata: offer.resources[0]?.metadata ?? {} },
          { type: "RAM", supply: 4, units: "GiB" },
          { type: "STORAGE", supply: 25, units: "GiB" },
          { type: "PUBLIC_IP", quantity: 1 },
        ],
        createdAt: now.toISOString(),
        nextBillingAt: new Date(now.getTime() + 86_400_000).toISOString(),
        osImage: config.osImage,
        datacenter: offer.datacenter,
        publicIp: null,
        ports,
        reservedBalance: price,
        totalSpent: price,
      };
      this.vms.set(id, { vm, polls: 0, userData: config.userData });
      return { vmId: id, vmName: config.name };
    });
  }

  private portsOf(value: unknown): OpenPort[] {
    if (!Array.isArray(value)) throw new HttpError(400, "openPorts must be an array");
    const ports: OpenPort[] = [{ port: 22, protocol: "tcp" }];
    for (const p of value as OpenPort[]) {
      if (!Number.isInteger(p?.port) || p.port < 1 || p.port > 65535) throw new HttpError(400, `invalid port ${JSON.stringify(p?.port)}`);
      if (p.port === 10250) throw new HttpError(400, "port 10250 is reserved");
      if (p.protocol !== "tcp" && p.protocol !== "udp") throw new HttpError(400, "protocol must be tcp or udp");
      if (!ports.some((q) => q.port === p.port && q.protocol === p.protocol)) ports.push({ port: p.port, protocol: p.protocol });
    }
    return ports;
  }

  private list(): Vm[] {
    const pollsInNew = this.options.pollsInNew ?? 1;
    const pollsInLaunching = this.options.pollsInLaunching ?? 1;
    for (const stored of this.vms.values()) {
      const { vm } = stored;
      if (vm.status === "New" && stored.polls >= pollsInNew) vm.status = "Launching";
      if (vm.status === "Launching" && stored.polls >= pollsInNew + pollsInLaunching) {
        vm.status = "Active";
        vm.publicIp = this.options.publicIp ?? "127.0.0.1";
      }
      stored.polls++;
    }
    return [...this.vms.values()].map((s) => structuredClone(s.vm));
  }

  private idsOf(value: unknown): string[] {
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string")) {
      throw new HttpError(400, "vmIds must be a non-empty array of strings");
    }
    for (const id of value) if (!this.vms.has(id)) throw new HttpError(404, `VM not found: ${id}`);
    return value;
  }

  private patch(body: unknown): void {
    const updates = (body as { updates?: unknown } | undefined)?.updates;
    if (!Array.isArray(updates)) throw new HttpError(400, "updates must be an array");
    this.idsOf(updates.map((u: { id?: unknown }) => u?.id));
    for (const u of updates as Array<{ id: string; vmName?: string; openPorts?: OpenPort[] }>) {
      const { vm } = this.vms.get(u.id)!;
      if (u.vmName !== undefined) {
        if (!/^[A-Za-z0-9-]+$/.test(u.vmName)) throw new HttpError(400, "name may contain only alphanumeric characters and hyphens");
        vm.vmName = u.vmName;
      }
      // Any port left out is closed, 22 included.
      if (u.openPorts !== undefined) vm.ports = this.portsOf(u.openPorts).filter((p, i) => i > 0 || u.openPorts!.some((q) => q.port === 22));
    }
  }

  private delete(body: unknown): void {
    for (const id of this.idsOf((body as { vmIds?: unknown } | undefined)?.vmIds)) this.vms.delete(id);
  }
}
