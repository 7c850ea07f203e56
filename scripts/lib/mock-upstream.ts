import { createServer, type Server } from "node:http";

/**
 * A minimal OpenAI-compatible upstream for the gateway benchmark: it answers a chat completion at
 * once with a fixed body (usage included), or with `stream: true` a fixed number of SSE chunks
 * then usage and `[DONE]`. It does no inference and checks no signature: it exists so the
 * benchmark measures what the gateway adds, not what an engine costs.
 */
export async function startMockUpstream(options: { streamChunks?: number; chunkDelayMs?: number } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const completion = JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 0,
    model: "bench-upstream",
    choices: [{ index: 0, message: { role: "assistant", content: "Once upon a time there was a benchmark." }, finish_reason: "stop" }],
    usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 },
  });
  const chunk = (content: string) => `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 0, model: "bench-upstream", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  const usage = `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 0, model: "bench-upstream", choices: [], usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 } })}\n\n`;
  const server: Server = createServer((request, response) => {
    if (request.method === "GET") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", async () => {
      const body = JSON.parse(Buffer.concat(parts).toString("utf8")) as { stream?: boolean; stream_options?: { include_usage?: boolean } };
      if (!body.stream) {
        response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(completion) }).end(completion);
        return;
      }
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
      for (let i = 0; i < (options.streamChunks ?? 8); i++) {
        response.write(chunk(` word${i}`));
        if (options.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, options.chunkDelayMs));
      }
      if (body.stream_options?.include_usage) response.write(usage);
      response.end("data: [DONE]\n\n");
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A bare keep-alive pass-through proxy: the floor of what any gateway in Node adds. */
export async function startPassThroughProxy(upstream: string): Promise<{ url: string; close(): Promise<void> }> {
  const { Agent, request: httpRequest } = await import("node:http");
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(upstream);
  const server = createServer((incoming, outgoing) => {
    const proxied = httpRequest({ hostname: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers, agent }, (reply) => {
      outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(outgoing);
    });
    incoming.pipe(proxied);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
