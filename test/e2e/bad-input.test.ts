import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClient, startTestNetwork, type TestNetwork } from "./harness.js";

/** Bad input over HTTP and WebSocket gets a clear JSON error with the right status; nothing crashes. */
let t: TestNetwork;
const MAX_BODY_BYTES = 4096;

beforeAll(async () => {
  t = await startTestNetwork({ maxBodyBytes: MAX_BODY_BYTES });
});
afterAll(async () => t?.close());

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(`${t.network.urls.api}${path}`, init);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get("content-type"), body: JSON.parse(text) as { error?: { type: string; code: string; param: string | null; message: string } } };
}
const authed = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${t.apiKey}`, ...extra });

describe("HTTP API: bad input", () => {
  const json = { "content-type": "application/json" };
  it.each([
    ["malformed JSON", json, "{oops", 400, "invalid_request"],
    ["empty body", json, "", 400, "invalid_request"],
    ["a JSON array", json, "[1,2]", 400, "invalid_request"],
    ["wrong content type", { "content-type": "text/plain" }, '{"kind":"canary"}', 415, "unsupported_media_type"],
    ["no content type", {}, '{"kind":"canary"}', 415, "unsupported_media_type"],
    ["an unknown job kind", json, '{"kind":"teleport"}', 400, "invalid_request"],
    ["an unknown field", json, '{"kind":"canary","extra":1}', 400, "invalid_request"],
  ])("POST /v1/jobs with %s", async (_name, headers, body, status, code) => {
    const response = await call("/v1/jobs", { method: "POST", headers: authed(headers), body });
    expect(response.status).toBe(status);
    expect(response.contentType).toMatch(/application\/json/);
    expect(response.body.error).toMatchObject({ code, type: "invalid_request_error", message: expect.any(String) });
  });

  it("names the offending field", async () => {
    const response = await call("/v1/jobs", { method: "POST", headers: authed({ "content-type": "application/json" }), body: '{"kind":"Not A Kind!"}' });
    expect(response.body.error?.param).toBe("kind");
  });

  it("refuses a body over the documented limit with 413, before reading it all", async () => {
    const body = JSON.stringify({ kind: "canary", input: { message: "x".repeat(MAX_BODY_BYTES) } });
    const response = await call("/v1/jobs", { method: "POST", headers: authed({ "content-type": "application/json" }), body });
    expect(response.status).toBe(413);
    expect(response.body.error?.code).toBe("request_too_large");
  });

  it("answers unknown routes with 404 and wrong methods with 405", async () => {
    expect((await call("/v2/nothing")).status).toBe(404);
    const wrongMethod = await call("/health", { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error?.code).toBe("method_not_allowed");
  });

  it("requires a valid API key on every state-changing route", async () => {
    const noKey = await call("/v1/jobs", { method: "POST", headers: { "content-type": "application/json" }, body: '{"kind":"canary"}' });
    expect(noKey.status).toBe(401);
    expect(noKey.body.error?.type).toBe("authentication_error");
    const badKey = await call("/v1/jobs", { method: "POST", headers: { authorization: "Bearer tn_bogus_key_that_is_long_enough", "content-type": "application/json" }, body: '{"kind":"canary"}' });
    expect(badKey.status).toBe(401);
  });

  it("reports a job that does not exist (or is not yours) as 404", async () => {
    expect((await call("/v1/jobs/job_missing", { headers: authed() })).status).toBe(404);
    expect((await call(`/v1/jobs/${"x".repeat(500)}`, { headers: authed() })).status).toBe(404);
  });

  it("fails a job with invalid input for its kind, without retrying it", async () => {
    const submitted = await call("/v1/jobs", { method: "POST", headers: authed({ "content-type": "application/json" }), body: '{"kind":"canary","input":{"message":5}}' });
    const id = (submitted.body as unknown as { id: string }).id;
    let job: { status?: string; attempts?: number; error?: { code: string } } = {};
    for (let i = 0; i < 100 && job.status !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await call(`/v1/jobs/${id}`, { headers: authed() })).body as typeof job;
    }
    expect(job).toMatchObject({ status: "failed", attempts: 1, error: { code: "invalid_request" } });
  });
});

describe("WebSocket API: bad input", () => {
  it("answers junk, unknown actions and bad subscriptions with error events and keeps the connection", async () => {
    const client = await connectClient(`${t.network.urls.websocket}?api_key=${encodeURIComponent(t.apiKey)}`);
    client.socket.send("not json at all");
    expect(await client.next()).toMatchObject({ type: "error", error: { code: "invalid_request", param: "action" } });
    client.send({ action: "dance" });
    expect(await client.next()).toMatchObject({ type: "error", error: { code: "invalid_request" } });
    client.send({ action: "subscribe" });
    expect(await client.next()).toMatchObject({ type: "error", error: { code: "invalid_request", param: "jobId" } });
    client.send({ action: "subscribe", jobId: "job_not_mine" });
    expect(await client.next()).toMatchObject({ type: "error", error: { code: "not_found" } });
    client.send({ action: "unsubscribe", jobId: "job_not_mine" });
    expect(await client.next()).toMatchObject({ type: "unsubscribed", jobId: "job_not_mine" });
    await client.close();
  });
});
