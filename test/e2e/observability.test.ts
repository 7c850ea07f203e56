import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eventually, startTestNetwork, type TestNetwork } from "./harness.js";

/**
 * Handlers write structured JSON logs carrying request and job ids, and metrics in CloudWatch's
 * embedded metric format, on stdout: in AWS they become CloudWatch Logs and metrics; locally they
 * are what the terminal shows.
 */
let t: TestNetwork;
const lines: string[] = [];

beforeAll(async () => {
  // Handler modules read these when first loaded, which happens inside this file's network.
  process.env.POWERTOOLS_LOG_LEVEL = "INFO";
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  // Captured, not echoed: the test output stays readable.
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    return true;
  });
  t = await startTestNetwork();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await t?.close();
});

const records = () => lines.flatMap((line) => {
  try {
    return [JSON.parse(line) as Record<string, unknown>];
  } catch {
    return [];
  }
});

describe("observability", () => {
  it("logs requests and jobs as JSON with their ids, and emits EMF metrics", async () => {
    const response = await fetch(`${t.network.urls.api}/v1/jobs`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ kind: "canary" }),
    });
    const { id } = (await response.json()) as { id: string };
    const requestId = response.headers.get("x-request-id");

    const finished = await eventually(async () => records().find((r) => r.message === "job finished" && r.jobId === id), 10_000, "the job-finished log line");
    expect(finished).toMatchObject({ level: "INFO", service: "tensornode", function_name: "functions-consumers-inference", function_request_id: expect.any(String), messageId: expect.any(String) });
    expect(records()).toContainEqual(expect.objectContaining({ message: "request", requestId, method: "POST", path: "/v1/jobs", status: 202 }));
    expect(records()).toContainEqual(expect.objectContaining({ message: "job queued", jobId: id }));

    // Metrics are flushed when the invocation ends, just after its last log line.
    const metrics = () => records().filter((r) => r._aws !== undefined);
    await eventually(async () => metrics().find((m) => m.JobSucceeded === 1), 5_000, "the JobSucceeded metric");
    expect(metrics()).toContainEqual(expect.objectContaining({ JobSubmitted: 1, service: "tensornode" }));
    expect(metrics()[0]).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: "TensorNode" }] } });
  });
});
