import { describe, expect, it } from "vitest";
import { assertRoutableEndpoint, isPrivateAddress, registerMiner } from "../src/index.js";
import { FixedClock, InMemoryMinerDirectory } from "../testing/index.js";

describe("miner endpoint policy", () => {
  it.each(["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:a00:1", "::127.0.0.1", "198.18.0.1", "255.255.255.255", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "::ffff:0:a00:1", "2002:a00:1::1"])("treats %s as private", (host) => {
    expect(isPrivateAddress(host)).toBe(true);
  });

  it.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1", "miner.example.com"])("treats %s as routable", (host) => {
    expect(isPrivateAddress(host)).toBe(false);
  });

  it("refuses loopback, private and localhost endpoints unless the deployment allows them", () => {
    for (const endpoint of ["http://127.0.0.1:8080", "http://[::1]:8080", "https://localhost", "http://api.localhost/x", "http://169.254.169.254/latest"]) {
      expect(() => assertRoutableEndpoint(endpoint, false)).toThrow(expect.objectContaining({ code: "invalid_request", param: "endpoint" }));
      expect(() => assertRoutableEndpoint(endpoint, true)).not.toThrow();
    }
    expect(() => assertRoutableEndpoint("https://miner.example.com:8443", false)).not.toThrow();
    // URL rewrites an IPv4-mapped address to hex; it must not slip through that way.
    expect(() => assertRoutableEndpoint("http://[::ffff:127.0.0.1]:8080", false)).toThrow(expect.objectContaining({ param: "endpoint" }));
  });

  it("is applied by registration", async () => {
    const deps = { miners: new InMemoryMinerDirectory(), clock: new FixedClock("2030-01-01T00:00:00.000Z") };
    const body = { endpoint: "http://127.0.0.1:9001", models: [{ id: "m", modality: "llm", pricePerUnit: "1" }] };
    await expect(registerMiner(deps, "0.0.5", body)).rejects.toMatchObject({ code: "invalid_request", param: "endpoint" });
    expect(await deps.miners.get("0.0.5")).toBeNull();
    await expect(registerMiner({ ...deps, allowPrivateMinerEndpoints: true }, "0.0.5", body)).resolves.toMatchObject({ endpoint: body.endpoint });
  });
});
