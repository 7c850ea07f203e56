import {
  MAX_ACTIVE_KEYS_PER_ACCOUNT,
  JSON_REQUEST_SCHEMAS,
  SIGNATURE_HEADERS,
  accountRequestSchema,
  apiKeyRequestSchema,
  jobRequestSchema,
  jsonSchemaOf,
  listQuerySchema,
  minerHostRequestSchema,
  minerRegistrationSchema,
  transcriptionFormSchema,
} from "@tensornode/core";

/**
 * The OpenAPI 3.1 document of the HTTP API, built from the very zod schemas the routes validate
 * with (JSON Schema 2020-12 is OpenAPI 3.1's dialect), so the document cannot drift from what the
 * API accepts. A test checks that every route of the app is documented and every documented
 * operation is routed.
 */
type Auth = "apiKey" | "signed" | "apiKeyOrSigned" | "none";

interface OperationSpec {
  method: "get" | "post" | "delete";
  path: string;
  summary: string;
  tag: string;
  auth: Auth;
  /** A JSON body schema (zod), or multipart form fields. */
  body?: { json: Parameters<typeof jsonSchemaOf>[0]; optional?: boolean } | { multipart: Parameters<typeof jsonSchemaOf>[0] };
  query?: Parameters<typeof jsonSchemaOf>[0];
  /** The success status and what it returns. */
  success: { status: number; description: string; contentType?: string };
}

const inference = (path: string, summary: string, schema: Parameters<typeof jsonSchemaOf>[0], success = "The miner's answer in the OpenAI format, with `usage`."): OperationSpec => ({
  method: "post",
  path,
  summary,
  tag: "Inference",
  auth: "apiKey",
  body: { json: schema },
  success: { status: 200, description: success },
});

export const OPERATIONS: readonly OperationSpec[] = [
  { method: "get", path: "/health", summary: "Liveness", tag: "Service", auth: "none", success: { status: 200, description: "The API is up." } },
  { method: "get", path: "/openapi.json", summary: "This document", tag: "Service", auth: "none", success: { status: 200, description: "OpenAPI 3.1." } },
  { method: "get", path: "/docs", summary: "Human-readable API reference", tag: "Service", auth: "none", success: { status: 200, description: "An HTML page.", contentType: "text/html" } },
  inference("/v1/chat/completions", "Chat completion (LLM; vision through image_url parts); `stream: true` answers with Server-Sent Events", JSON_REQUEST_SCHEMAS["chat.completions"], "A chat.completion, or with `stream: true` a text/event-stream of chat.completion.chunk events ending with `data: [DONE]`."),
  inference("/v1/embeddings", "Embeddings", JSON_REQUEST_SCHEMAS.embeddings),
  inference("/v1/audio/speech", "Text to speech", JSON_REQUEST_SCHEMAS["audio.speech"], "Audio bytes (audio/wav by default). Billed per input character."),
  {
    method: "post",
    path: "/v1/audio/transcriptions",
    summary: "Speech to text (multipart upload)",
    tag: "Inference",
    auth: "apiKey",
    body: { multipart: transcriptionFormSchema },
    success: { status: 200, description: "`{text, usage: {type: 'duration', seconds}}`; billed per audio second." },
  },
  inference("/v1/translations", "Text translation", JSON_REQUEST_SCHEMAS.translations, "`{object: 'list', data: [{index, translation}], usage: {characters}}`."),
  inference("/v1/vision/analyze", "Structured vision: text (OCR), objects and labels with boxes", JSON_REQUEST_SCHEMAS["vision.analyze"], "`{object: 'vision.analysis', text, objects, labels, usage: {images}}`."),
  { method: "get", path: "/v1/models", summary: "Models live miners serve, with modality, price per unit, context length and miner count", tag: "Models", auth: "none", success: { status: 200, description: "An OpenAI model list." } },
  { method: "get", path: "/v1/models/{id}", summary: "One model", tag: "Models", auth: "none", success: { status: 200, description: "An OpenAI model object." } },
  { method: "post", path: "/v1/accounts", summary: "Open an account bound to the signing Hedera account; returns its first API key (shown once)", tag: "Accounts", auth: "signed", body: { json: accountRequestSchema, optional: true }, success: { status: 201, description: "The account and its first key's secret." } },
  { method: "get", path: "/v1/account", summary: "Balance (tinybars) and deposit instructions", tag: "Accounts", auth: "apiKeyOrSigned", success: { status: 200, description: "The account." } },
  { method: "post", path: "/v1/keys", summary: `Create an API key (the secret is in this response only; at most ${MAX_ACTIVE_KEYS_PER_ACCOUNT} active keys per account, else 409)`, tag: "Accounts", auth: "apiKeyOrSigned", body: { json: apiKeyRequestSchema, optional: true }, success: { status: 201, description: "The key, with `secret`." } },
  { method: "get", path: "/v1/keys", summary: "List the account's keys (never their secrets)", tag: "Accounts", auth: "apiKeyOrSigned", success: { status: 200, description: "A list of keys." } },
  { method: "delete", path: "/v1/keys/{id}", summary: "Revoke a key", tag: "Accounts", auth: "apiKeyOrSigned", success: { status: 200, description: "The revoked key." } },
  { method: "get", path: "/v1/usage", summary: "Metered requests, newest first", tag: "Accounts", auth: "apiKeyOrSigned", query: listQuerySchema, success: { status: 200, description: "A page of usage records (`has_more`, `last_id`)." } },
  { method: "post", path: "/v1/jobs", summary: "Queue an asynchronous job (any inference operation as `kind`, e.g. `chat.completions`)", tag: "Jobs", auth: "apiKey", body: { json: jobRequestSchema }, success: { status: 202, description: "The queued job; `Location` points at it." } },
  { method: "get", path: "/v1/jobs/{id}", summary: "A job's state and result", tag: "Jobs", auth: "apiKey", success: { status: 200, description: "The job." } },
  { method: "get", path: "/v1/miners", summary: "Registered miners", tag: "Miners", auth: "none", success: { status: 200, description: "A list of miners." } },
  { method: "post", path: "/v1/miners", summary: "Register the signing account as a miner", tag: "Miners", auth: "signed", body: { json: minerRegistrationSchema }, success: { status: 201, description: "The miner." } },
  { method: "post", path: "/v1/miners/heartbeat", summary: "Signed heartbeat", tag: "Miners", auth: "signed", success: { status: 200, description: "The miner." } },
  { method: "delete", path: "/v1/miners/me", summary: "Deregister the signing miner (a hosted miner's VM is torn down)", tag: "Miners", auth: "signed", success: { status: 200, description: "Deleted." } },
  { method: "post", path: "/v1/miners/hosts", summary: "Ask the network to provision a miner host (Fluence VM) for the signing account", tag: "Miners", auth: "signed", body: { json: minerHostRequestSchema }, success: { status: 202, description: "The provisioning job." } },
  { method: "get", path: "/v1/miners/hosts/jobs/{id}", summary: "A hosting job with its progress", tag: "Miners", auth: "signed", success: { status: 200, description: "The job." } },
];

const SECURITY: Record<Auth, Array<Record<string, string[]>>> = {
  none: [],
  apiKey: [{ apiKey: [] }],
  signed: [{ hederaSignature: [] }],
  apiKeyOrSigned: [{ apiKey: [] }, { hederaSignature: [] }],
};

const ERROR_STATUSES: Record<string, string> = {
  "400": "Invalid request (OpenAI error body; `param` names the field).",
  "401": "Missing or invalid API key or signature.",
  "402": "Balance used up, or the key's spending limit reached.",
  "404": "Unknown model, job, key or route.",
  "413": "Body too large.",
  "415": "Wrong content type.",
  "429": "Rate limited; see `Retry-After`.",
  "502": "Every miner that could serve the request failed; retry.",
  "503": "No healthy miner serves the model right now; see `Retry-After`.",
};

export function openApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters: unknown[] = [];
    for (const match of op.path.matchAll(/\{(\w+)\}/g)) parameters.push({ name: match[1], in: "path", required: true, schema: { type: "string" } });
    if (op.query) {
      const schema = jsonSchemaOf(op.query) as { properties: Record<string, object>; required?: string[] };
      for (const [name, property] of Object.entries(schema.properties)) parameters.push({ name, in: "query", required: schema.required?.includes(name) ?? false, schema: property });
    }
    const requestBody = op.body
      ? "json" in op.body
        ? { required: !op.body.optional, content: { "application/json": { schema: jsonSchemaOf(op.body.json) } } }
        : { required: true, content: { "multipart/form-data": { schema: { ...jsonSchemaOf(op.body.multipart), properties: { ...(jsonSchemaOf(op.body.multipart).properties as object), file: { type: "string", contentMediaType: "application/octet-stream" } } } } } }
      : undefined;
    const errors = Object.fromEntries(
      Object.entries(ERROR_STATUSES)
        .filter(([status]) => (op.auth === "none" ? !["401", "402", "429"].includes(status) : true))
        .map(([status, description]) => [status, { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
    );
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      tags: [op.tag],
      operationId: `${op.method}${op.path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      security: SECURITY[op.auth],
      ...(parameters.length > 0 && { parameters }),
      ...(requestBody && { requestBody }),
      responses: {
        [String(op.success.status)]: { description: op.success.description, ...(op.success.contentType && { content: { [op.success.contentType]: {} } }) },
        ...errors,
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "TensorNode API",
      version,
      description:
        "OpenAI-compatible inference on a decentralized network of miners, paid in HBAR. Point an OpenAI client at `<base>/v1`. Money is integer tinybars, sent as strings.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/" }],
    tags: ["Inference", "Models", "Accounts", "Jobs", "Miners", "Service"].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "`Authorization: Bearer tn_...`" },
        hederaSignature: {
          type: "apiKey",
          in: "header",
          name: SIGNATURE_HEADERS.signature,
          description: `A request signed with the account's Hedera key: headers ${Object.values(SIGNATURE_HEADERS).join(", ")} over \`TN1\\nMETHOD\\npath?query\\ntimestamp-ms\\nnonce\\nsha256-hex(body)\`.`,
        },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["message", "type"],
              properties: { message: { type: "string" }, type: { type: "string" }, param: { type: ["string", "null"] }, code: { type: ["string", "null"] } },
            },
          },
        },
      },
    },
  };
}
