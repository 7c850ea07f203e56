import { signRequest } from "@tensornode/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNetwork, type TestNetwork } from "./harness.js";

/**
 * Miners register over the HTTP API with requests signed by their Hedera keys; the API checks the
 * signature against the account's key from the (local) mirror node and refuses replays.
 */
let t: TestNetwork;
beforeAll(async () => {
  t = await startTestNetwork();
});
afterAll(async () => t?.close());

const registration = { endpoint: "http://127.0.0.1:4200", models: [{ id: "stories260k", modality: "llm", pricePerUnit: "10" }] };

async function signedCall(method: string, path: string, body: unknown, signer = t.network.hedera.accounts.miners[0]!, asAccount?: string) {
  const text = body === undefined ? "" : JSON.stringify(body);
  const headers = signRequest({ method, path, body: text }, asAccount ?? signer.accountId, signer.privateKey);
  const response = await fetch(`${t.network.urls.api}${path}`, { method, headers: { ...headers, ...(text ? { "content-type": "application/json" } : {}) }, ...(text ? { body: text } : {}) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers };
}

describe("miner registration with Hedera-signed requests", () => {
  it("registers, lists, heartbeats and deregisters the signing account", async () => {
    const miner = t.network.hedera.accounts.miners[0]!.accountId;
    const registered = await signedCall("POST", "/v1/miners", registration);
    expect(registered).toMatchObject({ status: 201, body: { object: "miner", id: miner, endpoint: registration.endpoint, models: registration.models } });

    const listed = (await (await fetch(`${t.network.urls.api}/v1/miners`)).json()) as { data: Array<{ id: string }> };
    expect(listed.data.map((m) => m.id)).toContain(miner);

    expect((await signedCall("POST", "/v1/miners/heartbeat", undefined)).status).toBe(200);
    expect(await signedCall("DELETE", "/v1/miners/me", undefined)).toMatchObject({ status: 200, body: { deleted: true } });
    expect((await signedCall("POST", "/v1/miners/heartbeat", undefined)).status).toBe(404);
  });

  it("refuses unsigned, replayed, impersonating and tampered requests", async () => {
    const unsigned = await fetch(`${t.network.urls.api}/v1/miners`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(registration) });
    expect(unsigned.status).toBe(401);

    const first = await signedCall("POST", "/v1/miners", registration);
    expect(first.status).toBe(201);
    const replay = await fetch(`${t.network.urls.api}/v1/miners`, { method: "POST", headers: { ...first.headers, "content-type": "application/json" }, body: JSON.stringify(registration) });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { message: string } }).error.message).toMatch(/Replayed/);

    // Miner 1 signs a request claiming to be miner 0.
    const impersonation = await signedCall("POST", "/v1/miners", registration, t.network.hedera.accounts.miners[1]!, t.network.hedera.accounts.miners[0]!.accountId);
    expect(impersonation.status).toBe(401);

    const signed = signRequest({ method: "POST", path: "/v1/miners", body: JSON.stringify(registration) }, t.network.hedera.accounts.miners[0]!.accountId, t.network.hedera.accounts.miners[0]!.privateKey);
    const tampered = await fetch(`${t.network.urls.api}/v1/miners`, { method: "POST", headers: { ...signed, "content-type": "application/json" }, body: JSON.stringify({ ...registration, endpoint: "http://evil.example" }) });
    expect(tampered.status).toBe(401);
  });

  it("answers a bad registration with a 400 naming the field", async () => {
    const bad = await signedCall("POST", "/v1/miners", { ...registration, endpoint: "ftp://nope" }, t.network.hedera.accounts.miners[2]!);
    expect(bad).toMatchObject({ status: 400, body: { error: { param: "endpoint", type: "invalid_request_error" } } });
  });
});
