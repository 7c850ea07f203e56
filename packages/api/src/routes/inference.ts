import {
  DomainError,
  JSON_REQUEST_SCHEMAS,
  admit,
  audioSeconds,
  chatUnits,
  infer,
  maxUnitsOf,
  inferStream,
  parseInput,
  unitsFromRequest,
  type InferenceCall,
  type MinerReplyHead,
  type OperationName,
} from "@tensornode/core";
import { Hono, type Context } from "hono";
import type { ApiEnv } from "../deps.js";
import { requireApiKey } from "../middleware/auth.js";
import { UnsupportedMediaTypeError, readJsonBytes } from "../middleware/json-body.js";

/**
 * The OpenAI-compatible inference endpoints. Each checks the key's rate limit and the account's
 * balance, forwards the client's own bytes to the best miner (failing over within the deadline)
 * and answers with the miner's reply as is, so responses are exactly the OpenAI wire format.
 * Metering happens off the hot path (see `UsageMeter`).
 */
export const inference = new Hono<ApiEnv>()
  .post("/chat/completions", requireApiKey, (c) => chatCompletions(c))
  .post("/embeddings", requireApiKey, (c) => jsonOperation(c, "embeddings"))
  .post("/audio/speech", requireApiKey, (c) => jsonOperation(c, "audio.speech"))
  .post("/audio/transcriptions", requireApiKey, (c) => transcriptions(c))
  .post("/translations", requireApiKey, (c) => jsonOperation(c, "translations"))
  .post("/vision/analyze", requireApiKey, (c) => jsonOperation(c, "vision.analyze"));

type Ctx = Context<ApiEnv>;

async function jsonOperation(c: Ctx, operation: Exclude<OperationName, "audio.transcriptions">): Promise<Response> {
  const { bytes, request } = await readJsonRequest(c, operation);
  const units = unitsFromRequest(operation, request);
  const maxUnits = maxUnitsOf(operation, request);
  return forward(c, { operation, model: request.model, body: bytes, contentType: "application/json", ...(units !== undefined && { requestUnits: units }), ...(maxUnits !== undefined && { maxUnits }) });
}

async function chatCompletions(c: Ctx): Promise<Response> {
  const { bytes, request } = await readJsonRequest(c, "chat.completions");
  const requestUnits = chatUnits(request);
  const maxUnits = maxUnitsOf("chat.completions", request);
  if (!request.stream) return forward(c, { operation: "chat.completions", model: request.model, body: bytes, contentType: "application/json", requestUnits, ...(maxUnits !== undefined && { maxUnits }) });

  const { deps, principal, requestId } = c.var;
  await admit(deps.inference, principal);
  const clientWantsUsage = (request.stream_options as { include_usage?: boolean } | null | undefined)?.include_usage === true;
  // The gateway always asks for the final usage chunk, to meter the stream; the tap hides it again if the client did not ask.
  const body = new TextEncoder().encode(JSON.stringify({ ...request, stream_options: { ...(request.stream_options as object | undefined), include_usage: true } }));
  const streamed = await inferStream(deps.inference, { principal, operation: "chat.completions", model: request.model, body, contentType: "application/json", requestId, source: "stream", clientWantsUsage, requestUnits, ...(maxUnits !== undefined && { maxUnits }) });
  if (streamed.errorBody) return replyResponse(c, streamed.head, streamed.errorBody, streamed.candidate.minerId);
  const iterator = streamed.body[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-tensornode-miner": streamed.candidate.minerId, "x-request-id": requestId },
  });
}

async function transcriptions(c: Ctx): Promise<Response> {
  const contentType = c.req.header("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType)) throw new UnsupportedMediaTypeError(contentType, "multipart/form-data");
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  let form: FormData;
  try {
    form = await new Request("http://gateway/", { method: "POST", body: bytes, headers: { "content-type": contentType } }).formData();
  } catch {
    throw new DomainError("invalid_request", "The multipart body could not be parsed.");
  }
  const model = form.get("model");
  const file = form.get("file");
  if (typeof model !== "string" || model.trim() === "") throw new DomainError("invalid_request", "'model' is required.", "model");
  if (file === null || typeof file === "string") throw new DomainError("invalid_request", "'file' is required: the audio as a file part.", "file");
  const seconds = audioSeconds(new Uint8Array(await file.arrayBuffer()));
  return forward(c, { operation: "audio.transcriptions", model, body: bytes, contentType, ...(seconds !== undefined && { requestUnits: seconds, maxUnits: seconds }) });
}

async function forward(c: Ctx, call: Pick<InferenceCall, "operation" | "model" | "body" | "contentType" | "requestUnits" | "maxUnits">): Promise<Response> {
  const { deps, principal, requestId } = c.var;
  await admit(deps.inference, principal);
  const { reply, candidate, usage } = await infer(deps.inference, { ...call, principal, requestId, source: "sync" });
  return replyResponse(c, reply, reply.body, candidate.minerId, usage?.cost);
}

/** The miner's reply as the client's response: status, type and bytes unchanged. */
function replyResponse(c: Ctx, head: MinerReplyHead, body: Uint8Array, minerId: string, cost?: bigint): Response {
  const headers: Record<string, string> = { "content-type": head.contentType, "x-tensornode-miner": minerId, "x-request-id": c.var.requestId };
  if (cost !== undefined) headers["x-tensornode-cost-tinybars"] = cost.toString();
  for (const name of ["retry-after", "x-tensornode-usage-characters"]) if (head.headers[name]) headers[name] = head.headers[name];
  return new Response(body as Uint8Array<ArrayBuffer>, { status: head.status, headers });
}

async function readJsonRequest<O extends keyof typeof JSON_REQUEST_SCHEMAS>(c: Ctx, operation: O) {
  const { bytes, value } = await readJsonBytes(c);
  const request = parseInput(JSON_REQUEST_SCHEMAS[operation], value) as Record<string, unknown> & { model: string; stream?: boolean | null; stream_options?: unknown };
  return { bytes, request };
}
