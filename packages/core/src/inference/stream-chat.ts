import { z } from "zod";
import { DomainError, isDomainError } from "../shared/errors.js";
import { parseInput } from "../shared/validation.js";
import type { ApiKeyStore } from "../ports/api-keys.js";
import type { ConnectionPush, ConnectionStore } from "../ports/connections.js";
import { principalOf } from "../auth/authenticate.js";
import { admit, inferStream, type InferenceDeps } from "./infer.js";
import { chatCompletionRequestSchema, chatUnits, maxUnitsOf } from "./requests.js";
import { sseData } from "./sse-usage-tap.js";

/**
 * `{"action":"chat","client_id":"c1","request":{...chat completion, stream implied...}}`. The
 * client id lets one connection run several completions at once and tell their events apart.
 */
export const chatStreamMessageSchema = z.strictObject({
  action: z.literal("chat"),
  client_id: z.string().min(1).max(128),
  request: chatCompletionRequestSchema,
});

export interface StreamChatDeps {
  inference: InferenceDeps;
  connections: ConnectionStore;
  apiKeys: ApiKeyStore;
  push: ConnectionPush;
}

/**
 * A streamed chat completion over WebSocket: every chunk the miner generates is pushed to the
 * connection as `{"type":"chat.chunk","client_id","chunk":<OpenAI chunk>}`, then one
 * `{"type":"chat.done","client_id","usage","miner_id"}`. Any failure, before or during the stream,
 * is pushed as `{"type":"error","client_id","error":{...}}`. The request is charged to the API key
 * the connection opened with, exactly like an SSE stream.
 */
export async function streamChatToConnection(deps: StreamChatDeps, connectionId: string, requestId: string, body: unknown, toError: (error: unknown) => object): Promise<void> {
  const clientId = typeof (body as { client_id?: unknown } | null)?.client_id === "string" ? (body as { client_id: string }).client_id : null;
  const send = (event: object) => deps.push.send(connectionId, { ...event, client_id: clientId });
  try {
    const message = parseInput(chatStreamMessageSchema, body);
    const connection = await deps.connections.get(connectionId);
    if (!connection?.keyHash) throw new DomainError("unauthenticated", "Unknown connection; reconnect with an API key.");
    const key = await deps.apiKeys.findByHash(connection.keyHash);
    if (!key || key.status !== "active") throw new DomainError("unauthenticated", "The API key this connection opened with is no longer valid.");
    const principal = principalOf(key);
    await admit(deps.inference, principal);

    const request = { ...message.request, stream: true, stream_options: { include_usage: true } };
    const streamed = await inferStream(deps.inference, {
      principal,
      operation: "chat.completions",
      model: message.request.model,
      body: new TextEncoder().encode(JSON.stringify(request)),
      contentType: "application/json",
      requestId,
      source: "stream",
      clientWantsUsage: true,
      requestUnits: chatUnits(message.request),
      maxUnits: maxUnitsOf("chat.completions", message.request),
    });
    if (streamed.errorBody) {
      const detail = JSON.parse(new TextDecoder().decode(streamed.errorBody)) as object;
      await send({ type: "error", status: streamed.head.status, ...detail });
      return;
    }
    let usage: unknown = null;
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const bytes of streamed.body) {
      buffer += decoder.decode(bytes, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const data = sseData(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (!data || data === "[DONE]") continue;
        const chunk = JSON.parse(data) as { usage?: unknown; choices?: unknown[] };
        if (chunk.usage) usage = chunk.usage;
        if ((chunk.choices?.length ?? 0) > 0) {
          // The client gave up (410): stop generating; the tap charges what was produced.
          if ((await send({ type: "chat.chunk", chunk })) === "gone") return;
        }
      }
    }
    // The charge is written before "done", so a client that reads its usage history next finds it.
    await deps.inference.meter.drain();
    await send({ type: "chat.done", usage, miner_id: streamed.candidate.minerId });
  } catch (error) {
    if (!isDomainError(error)) deps.inference.logger.error("websocket chat stream failed", { connectionId, requestId, error: String(error) });
    await send({ type: "error", ...toError(error) }).catch(() => undefined);
  }
}
