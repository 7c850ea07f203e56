import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FluenceApiError, FluenceClient, FluenceTimeoutError, parseRetryAfter } from "../src/fluence-client.js";
import { addDecimal, compareDecimal, multiplyDecimal } from "../src/money.js";
import type { CreateVmsRequest } from "../src/types.js";
import { FakeFluenceServer } from "./fluence-server.js";

const server = new FakeFluenceServer({ apiKey: "k-123", pollsInNew: 1, pollsInLaunching: 1 });
let client: FluenceClient;
const sleeps: number[] = [];

const createBody: CreateVmsRequest = {
  constraints: { basicConfiguration: "cpu-2-ram-4gb-storage-25gb", maxTotalPricePerEpochUsd: "1.5" },
  instances: 1,
  vmConfiguration: {
    name: "miner-llm",
    hostname: "miner-llm",
    openPorts: [{ port: 8080, protocol: "tcp" }],
    osImage: "https://cloud-images.ubuntu.com/releases/22.04/release/ubuntu-22.04-server-cloudimg-amd64.img",
    sshKeys: ["ssh-ed25519 AAAAtest"],
  },
};

beforeAll(async () => {
  await server.start();
  client = new FluenceClient({ apiKey: "k-123", baseUrl: server.url, timeoutMs: 2_000, sleep: async (ms) => void sleeps.push(ms) });
});
afterAll(() => server.stop());
afterEach(() => {
  server.requests.length = 0;
  sleeps.length = 0;
  server.setDelay(0);
});

const last = () => server.requests.at(-1)!;

async function apiError(p: Promise<unknown>): Promise<FluenceApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(FluenceApiError);
  return err as FluenceApiError;
}

describe("FluenceClient request and response shapes", () => {
  it("lists offers with filters: POST /marketplace/offers, X-API-KEY, JSON body", async () => {
    const offers = await client.listOffers({ datacenter: { countries: ["FR"] }, maxTotalPricePerEpochUsd: "1" });
    expect(last()).toMatchObject({ method: "POST", path: "/marketplace/offers", body: { datacenter: { countries: ["FR"] }, maxTotalPricePerEpochUsd: "1" } });
    expect(last().headers["x-api-key"]).toBe("k-123");
    expect(last().headers["content-type"]).toBe("application/json");
    expect(last().headers.authorization).toBeUndefined();
    expect(offers).toHaveLength(1);
    expect(offers[0]!.configuration).toEqual({ slug: "cpu-2-ram-4gb-storage-25gb", price: "0.35793" });
    expect(offers[0]!.datacenter.countryCode).toBe("FR");
    expect(await client.listOffers()).toHaveLength(3);
    expect(last().body).toEqual({});
  });

  it("can send the older Authorization: Bearer header instead", async () => {
    const bearer = new FluenceClient({ apiKey: "k-123", baseUrl: server.url, auth: "bearer" });
    await bearer.listDefaultImages();
    expect(last().headers.authorization).toBe("Bearer k-123");
    expect(last().headers["x-api-key"]).toBeUndefined();
  });

  it("estimates: POST /vms/v3/estimate → decimal-string amounts", async () => {
    const estimate = await client.estimate({ constraints: { datacenter: { countries: ["FR"] } }, instances: 2 });
    expect(last()).toMatchObject({ method: "POST", path: "/vms/v3/estimate", body: { constraints: { datacenter: { countries: ["FR"] } }, instances: 2 } });
    expect(estimate).toEqual({ depositAmountUsdc: "1.43172", depositEpochs: 2, totalPricePerEpoch: "0.71586", maxPricePerEpoch: "0.35793", instances: 2 });
  });

  it("creates, lists through New → Launching → Active with IP and ports, patches, deletes", async () => {
    const created = await client.createVms(createBody);
    expect(last()).toMatchObject({ method: "POST", path: "/vms/v3", body: createBody });
    expect(created).toEqual([{ vmId: expect.stringMatching(/^0x[0-9a-f]{40}$/), vmName: "miner-llm" }]);
    const id = created[0]!.vmId;

    const seen: Array<[string, string | null]> = [];
    for (let i = 0; i < 3; i++) {
      const vm = await client.getVm(id);
      seen.push([vm!.status, vm!.publicIp]);
    }
    expect(last()).toMatchObject({ method: "GET", path: "/vms/v3", body: undefined });
    expect(last().headers["content-type"]).toBeUndefined();
    expect(seen).toEqual([["New", null], ["Launching", null], ["Active", "127.0.0.1"]]);
    const vm = (await client.listVms()).find((v) => v.id === id)!;
    expect(vm).toMatchObject({ vmName: "miner-llm", pricePerEpoch: "0.35793", ports: [{ port: 22, protocol: "tcp" }, { port: 8080, protocol: "tcp" }] });
    expect(typeof vm.reservedBalance).toBe("string");

    await client.updateVms([{ id, vmName: "miner-2", openPorts: [{ port: 22, protocol: "tcp" }, { port: 9000, protocol: "tcp" }] }]);
    expect(last()).toMatchObject({ method: "PATCH", path: "/vms/v3", body: { updates: [{ id, vmName: "miner-2" }] } });
    expect((await client.getVm(id))!.ports).toEqual([{ port: 22, protocol: "tcp" }, { port: 9000, protocol: "tcp" }]);

    await client.deleteVms([id]);
    expect(last()).toMatchObject({ method: "DELETE", path: "/vms/v3", body: { vmIds: [id] } });
    expect(await client.getVm(id)).toBeUndefined();
  });

  it("lists default images", async () => {
    const images = await client.listDefaultImages();
    expect(last()).toMatchObject({ method: "GET", path: "/vms/v3/default_images" });
    expect(images[0]).toMatchObject({ slug: "ubuntu-22-04-x64", username: "ubuntu" });
  });
});

describe("FluenceClient errors", () => {
  it("403 for a bad key → FluenceApiError with the documented message", async () => {
    const bad = new FluenceClient({ apiKey: "wrong", baseUrl: server.url });
    const err = await apiError(bad.listVms());
    expect(err).toMatchObject({ status: 403, code: "forbidden", apiMessage: "Invalid or missing API key", method: "GET", path: "/vms/v3" });
    expect(err.message).toContain("403");
  });

  it("400 for a validation failure", async () => {
    const err = await apiError(client.createVms({ ...createBody, vmConfiguration: { ...createBody.vmConfiguration, name: "bad name!" } }));
    expect(err).toMatchObject({ status: 400, code: "bad_request", apiMessage: "name may contain only alphanumeric characters and hyphens" });
  });

  it("422 when no offer matches (documented messages)", async () => {
    const none = { constraints: { basicConfiguration: "cpu-64-ram-512gb-storage-25gb" }, instances: 1 };
    expect(await apiError(client.createVms({ ...createBody, ...none }))).toMatchObject({ status: 422, code: "unprocessable", apiMessage: "No suitable offer found" });
    expect(await apiError(client.estimate({ instances: 50 }))).toMatchObject({ status: 422, apiMessage: "Not enough offers found" });
  });

  it("404 for an unknown VM", async () => {
    const err = await apiError(client.deleteVms(["0xdead"]));
    expect(err).toMatchObject({ status: 404, code: "not_found", apiMessage: "VM not found: 0xdead" });
  });

  it("retries a 429 after the Retry-After delay, then succeeds", async () => {
    server.rateLimitOnce(3);
    const vms = await client.listVms();
    expect(Array.isArray(vms)).toBe(true);
    expect(sleeps).toEqual([3_000]);
    expect(server.requests.map((r) => r.path)).toEqual(["/vms/v3", "/vms/v3"]);
  });

  it("retries 5xx with exponential backoff, bounded, for safe calls only", async () => {
    const c = new FluenceClient({ apiKey: "k-123", baseUrl: server.url, maxRetries: 2, backoffMs: 100, sleep: async (ms) => void sleeps.push(ms) });
    server.failOnce(503);
    server.failOnce(502);
    server.failOnce(500, "still down");
    const err = await apiError(c.listVms());
    expect(err).toMatchObject({ status: 500, code: "server_error", apiMessage: "still down" });
    expect(sleeps).toEqual([100, 200]);
    expect(server.requests).toHaveLength(3);

    server.requests.length = 0;
    server.failOnce(503);
    expect(await apiError(c.createVms(createBody))).toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1); // a create is never repeated after a 5xx
  });

  it("times out with a clear error", async () => {
    server.setDelay(300);
    const err = await client.listVms({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FluenceTimeoutError);
    expect((err as Error).message).toBe("Fluence GET /vms/v3 timed out after 50 ms");
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});

describe("decimal money", () => {
  it("adds, multiplies and compares without floats", () => {
    expect(addDecimal("0.1", "0.2")).toBe("0.3");
    expect(multiplyDecimal("3.50766", 2)).toBe("7.01532");
    expect(compareDecimal("12.57", "12.570")).toBe(0);
    expect(compareDecimal("2.4352", "12.5")).toBe(-1);
  });
});
