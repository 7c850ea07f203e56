import { describe, expect, it } from "vitest";
import { DOCUMENTED_OPERATIONS, createApp, openApiDocument } from "../src/index.js";

/** Hono's `:id` and `:id{regex}` as OpenAPI's `{id}`. */
const openApiPath = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");

describe("the OpenAPI document", () => {
  const routed = createApp(() => {
    throw new Error("not called: only the route table is read");
  })
    .routes.filter((route) => route.method !== "ALL")
    .map((route) => `${route.method.toLowerCase()} ${openApiPath(route.path)}`);
  const documented = DOCUMENTED_OPERATIONS.map((op) => `${op.method} ${op.path}`);

  it("documents every route the app serves, and nothing it does not", () => {
    expect(new Set(documented)).toEqual(new Set(routed));
  });

  it("is OpenAPI 3.1 with request schemas generated from the validating zod schemas", () => {
    const doc = openApiDocument("9.9.9") as { openapi: string; info: { version: string }; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }> }; security: unknown[] }>> };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe("9.9.9");
    const chat = doc.paths["/v1/chat/completions"]!.post!;
    expect(chat.requestBody!.content["application/json"]!.schema.required).toEqual(expect.arrayContaining(["model", "messages"]));
    expect(chat.security).toEqual([{ apiKey: [] }]);
    const upload = doc.paths["/v1/audio/transcriptions"]!.post!.requestBody!.content["multipart/form-data"]!.schema;
    expect(upload.required).toEqual(expect.arrayContaining(["model", "file"]));
    const keys = doc.paths["/v1/keys"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(keys.properties!)).toEqual(expect.arrayContaining(["name", "rate_limit_per_minute", "spend_limit_tinybars"]));
    expect(doc.paths["/v1/models"]!.get!.security).toEqual([]);
  });

  it("gives every operation a unique operationId", () => {
    const doc = openApiDocument("1") as { paths: Record<string, Record<string, { operationId: string }>> };
    const ids = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
