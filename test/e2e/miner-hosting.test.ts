import { connect } from "node:net";
import { signRequest } from "@tensornode/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestNetwork, type TestNetwork } from "./harness.js";

/**
 * A miner account asks the API for a host; the inference consumer runs the `miner.provision` job
 * with the local provider, which starts a real reference-miner process on 127.0.0.1; the miner is
 * registered at that endpoint; deregistering queues the teardown, which kills the process.
 */
let t: TestNetwork;
beforeAll(async () => {
  t = await startTestNetwork();
}, 120_000);
afterAll(async () => t?.close());

async function signed(method: string, path: string, body?: unknown, signer = t.network.hedera.accounts.miners[1]!) {
  const text = body === undefined ? "" : JSON.stringify(body);
  const headers = signRequest({ method, path, body: text }, signer.accountId, signer.privateKey);
  const response = await fetch(`${t.network.urls.api}${path}`, { method, headers: { ...headers, ...(text ? { "content-type": "application/json" } : {}) }, ...(text ? { body: text } : {}) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

const portOpen = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => (socket.destroy(), resolve(true)));
    socket.on("error", () => resolve(false));
  });

describe("miner hosting through the API (local provider)", () => {
  it("provisions a real miner process, registers it, and kills it on deregistration", async () => {
    const minerId = t.network.hedera.accounts.miners[1]!.accountId;
    const models = [{ id: "stories260K", modality: "llm", pricePerUnit: "17" }];
    const accepted = await signed("POST", "/v1/miners/hosts", { models });
    expect(accepted).toMatchObject({ status: 202, body: { object: "job", kind: "miner.provision", status: "queued", progress: { stage: "queued" } } });
    const jobPath = `/v1/miners/hosts/jobs/${accepted.body.id}`;
    expect(accepted.headers.get("location")).toBe(jobPath);

    const stages = new Set<string>();
    const done = await eventually(async () => {
      const job = (await signed("GET", jobPath)).body;
      stages.add(job.progress.stage);
      return job.status === "succeeded" || job.status === "failed" ? job : undefined;
    }, 90_000, "the provision job");
    expect(done).toMatchObject({ status: "succeeded", progress: { stage: "registered", provider: "local" } });
    const endpoint: string = done.progress.endpoint;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await portOpen(endpoint)).toBe(true);
    expect((await fetch(`${endpoint}/health`)).ok).toBe(true);

    const listed = (await (await fetch(`${t.network.urls.api}/v1/miners`)).json()) as { data: Array<Record<string, unknown>> };
    expect(listed.data.find((m) => m.id === minerId)).toMatchObject({ endpoint, models, hosted_by: "local" });

    // Another account cannot read the job; a second host is refused.
    expect((await signed("GET", jobPath, undefined, t.network.hedera.accounts.miners[2]!)).status).toBe(404);
    expect((await signed("POST", "/v1/miners/hosts", { models })).status).toBe(409);

    const gone = await signed("DELETE", "/v1/miners/me");
    expect(gone).toMatchObject({ status: 200, body: { deleted: true, host_teardown_job: expect.stringMatching(/^job_teardown_/) } });
    const teardown = await eventually(async () => {
      const job = (await signed("GET", `/v1/miners/hosts/jobs/${gone.body.host_teardown_job}`)).body;
      return job.status === "succeeded" || job.status === "failed" ? job : undefined;
    }, 30_000, "the teardown job");
    expect(teardown).toMatchObject({ status: "succeeded", progress: { stage: "destroyed" } });
    expect(await portOpen(endpoint)).toBe(false);
  }, 180_000);

  it("answers bad input with an OpenAI-style 400 and unsigned calls with 401", async () => {
    const bad = await signed("POST", "/v1/miners/hosts", { models: [{ id: "x", modality: "llm", pricePerUnit: "-1" }] }, t.network.hedera.accounts.miners[2]!);
    expect(bad).toMatchObject({ status: 400, body: { error: { type: "invalid_request_error", param: "models.0.pricePerUnit" } } });
    const unsigned = await fetch(`${t.network.urls.api}/v1/miners/hosts`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(unsigned.status).toBe(401);
    const jobs = await fetch(`${t.network.urls.api}/v1/jobs`, { method: "POST", headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" }, body: JSON.stringify({ kind: "miner.provision", input: {} }) });
    expect(jobs.status).toBe(400);
  });
});
