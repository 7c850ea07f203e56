import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, startTestNetwork, type TestNetwork } from "./harness.js";

/**
 * Server-Sent Events on both HTTP paths, with the official `openai` client and one real miner:
 * the streaming URL (a Lambda Function URL in RESPONSE_STREAM mode, functions/http-stream.ts)
 * delivers chunk by chunk; the API Gateway URL (functions/http.ts) delivers the same valid SSE
 * body, but whole, at the end. Assertions count reads and check ordering, never milliseconds.
 */
let t: TestNetwork;
const LLM = "stories260K";
const request = { model: LLM, messages: [{ role: "user" as const, content: "Once upon a time" }], max_tokens: 200, stream: true as const };

beforeAll(async () => {
  t = await startTestNetwork({ miners: 1 });
}, 240_000);
afterAll(async () => t?.close());

const client = (base: string) => new OpenAI({ baseURL: `${base}/v1`, apiKey: t.apiKey, maxRetries: 0 });

/** The raw body of a streamed completion, one entry per read the client made. */
async function rawReads(base: string): Promise<{ response: Response; reads: string[] }> {
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  const reads: string[] = [];
  const decoder = new TextDecoder();
  for await (const bytes of response.body!) reads.push(decoder.decode(bytes, { stream: true }));
  return { response, reads };
}

const events = (body: string) => body.split("\n\n").filter((event) => event.startsWith("data: "));

describe("SSE through the streaming URL (Lambda Function URL, response streaming)", () => {
  it("the openai client receives the chunks while the completion is still being generated", async () => {
    // Act: note when each chunk arrives.
    const stream = await client(t.network.urls.stream).chat.completions.create(request);
    const arrivals: number[] = [];
    let text = "";
    for await (const chunk of stream) {
      arrivals.push(performance.now());
      expect(chunk.object).toBe("chat.completion.chunk");
      text += chunk.choices[0]?.delta.content ?? "";
    }

    // Assess: many chunks, and they did not all arrive together (as a buffered body's would).
    expect(arrivals.length).toBeGreaterThan(10);
    expect(text.length).toBeGreaterThan(0);
    const distinctArrivalTimes = new Set(arrivals.map((at) => Math.floor(at))).size;
    expect(distinctArrivalTimes).toBeGreaterThanOrEqual(3);
    expect(arrivals[0]!).toBeLessThan(arrivals.at(-1)!);
  });

  it("on the wire: chunked, the first read holds the first events but not the end, and many reads follow", async () => {
    // Act
    const { response, reads } = await rawReads(t.network.urls.stream);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("x-amzn-requestid")).toBeTruthy(); // a Function URL, not API Gateway
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads[0]).toMatch(/^data: \{/);
    expect(reads[0]).not.toContain("[DONE]");
    expect(reads.join("")).toMatch(/data: \[DONE\]\n\n$/);
  });

  it("meters the stream once the body has ended (the invocation drains the usage charges)", async () => {
    // Prepare
    const usage = async () =>
      ((await (await fetch(`${t.network.urls.stream}/v1/usage?limit=100`, { headers: { authorization: `Bearer ${t.apiKey}` } })).json()) as { data: Array<{ operation: string; source: string }> }).data;
    const before = (await usage()).length;

    // Act
    for await (const _chunk of await client(t.network.urls.stream).chat.completions.create({ ...request, max_tokens: 8 })) {
      // read to the end
    }

    // Assess
    const records = await eventually(async () => {
      const now = await usage();
      return now.length > before ? now : undefined;
    }, 10_000, "the streamed completion's usage record");
    expect(records[0]).toMatchObject({ operation: "chat.completions", source: "stream" });
  });
});

describe("SSE through the API Gateway URL (buffered)", () => {
  it("the same request returns a valid SSE body that the openai client parses, delivered whole", async () => {
    // Act
    const stream = await client(t.network.urls.api).chat.completions.create(request);
    let chunks = 0;
    let text = "";
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? "";
    }
    const gateway = await rawReads(t.network.urls.api);
    const streamed = await rawReads(t.network.urls.stream);

    // Assess: same events, but API Gateway hands them over in far fewer reads (all at the end).
    expect(chunks).toBeGreaterThan(10);
    expect(text.length).toBeGreaterThan(0);
    expect(gateway.response.headers.get("apigw-requestid")).toBeTruthy();
    expect(gateway.reads.join("")).toMatch(/data: \[DONE\]\n\n$/);
    expect(events(gateway.reads.join("")).length).toBeGreaterThan(10);
    expect(gateway.reads.length).toBeLessThan(streamed.reads.length);
  });
});
