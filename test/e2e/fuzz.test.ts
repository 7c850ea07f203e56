import { DOCUMENTED_OPERATIONS } from "@tensornode/api";
import { signRequest } from "@tensornode/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNetwork, type TestNetwork } from "./harness.js";

/**
 * Fuzzes every documented route (the OpenAPI operation list, so a new route is fuzzed as soon as
 * it is documented) through the local API Gateway with a real miner behind it: mutated bodies,
 * wrong and missing content types, garbage and valid credentials, odd query strings and path ids.
 * Whatever arrives, the API must answer with a status below 500 and, for errors, an OpenAI error
 * body. Seeded, so a failure replays exactly; bounded in count.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const CASES_PER_OPERATION = Number(process.env.FUZZ_CASES ?? 24);

let t: TestNetwork;
beforeAll(async () => {
  t = await startTestNetwork({ miners: 1 });
}, 240_000);
afterAll(async () => t?.close());

/** mulberry32: small, fast, good enough to pick mutations reproducibly. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)]! };
}
type Rng = ReturnType<typeof prng>;

const WEIRD_VALUES: readonly unknown[] = [null, true, 0, -1, 1e308, -0.5, "", " ", "x".repeat(70_000), "\u0000\ud800", [], [[[[[]]]]], {}, { "__proto__": { polluted: 1 } }, "0.0.1", "tn_" + "A".repeat(43), Number.MAX_SAFE_INTEGER + 2];

/** A plausible body for each operation, which mutations then break in many ways. */
const VALID_BODIES: Record<string, unknown> = {
  "/v1/chat/completions": { model: "stories260K", messages: [{ role: "user", content: "Once" }], max_tokens: 4 },
  "/v1/embeddings": { model: "use-lite-512", input: ["hello"] },
  "/v1/audio/speech": { model: "flite-slt", input: "hi", voice: "slt" },
  "/v1/translations": { model: "apertium-eng-spa", input: "red car", source_language: "en", target_language: "es" },
  "/v1/vision/analyze": { model: "tensornode-vision", image: "data:image/png;base64,iVBORw0KGgo=" },
  "/v1/keys": { name: "fuzz", rate_limit_per_minute: 10 },
  "/v1/accounts": { key: { name: "fuzz" } },
  "/v1/jobs": { kind: "embeddings", input: { model: "use-lite-512", input: "x" } },
  "/v1/miners": { endpoint: "http://127.0.0.1:9", models: [{ id: "m", modality: "llm", pricePerUnit: "1" }] },
  "/v1/miners/hosts": { models: [{ id: "m", modality: "llm", pricePerUnit: "1" }] },
};

function mutate(rng: Rng, value: unknown, depth = 0): unknown {
  if (depth > 4 || rng.next() < 0.25) return rng.pick(WEIRD_VALUES);
  if (Array.isArray(value)) {
    const copy = value.map((item) => (rng.next() < 0.5 ? mutate(rng, item, depth + 1) : item));
    if (rng.next() < 0.3) copy.push(mutate(rng, copy[0], depth + 1));
    return rng.next() < 0.1 ? [] : copy;
  }
  if (value && typeof value === "object") {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const key = keys.length ? rng.pick(keys) : "x";
    const action = rng.int(4);
    if (action === 0) delete copy[key];
    else if (action === 1) copy[key] = mutate(rng, copy[key], depth + 1);
    else if (action === 2) copy[`extra_${rng.int(100)}`] = rng.pick(WEIRD_VALUES);
    else copy[key] = rng.pick(WEIRD_VALUES);
    return copy;
  }
  return rng.pick(WEIRD_VALUES);
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

function makeRequest(rng: Rng, op: (typeof DOCUMENTED_OPERATIONS)[number]): FuzzRequest {
  const path = op.path.replace(/\{\w+\}/g, () => rng.pick(["x", "job_missing", "key_missing", "%2e%2e", "a".repeat(300), "stories260K", "%00"]));
  const query = rng.next() < 0.3 ? `?${rng.pick(["limit=0", "limit=-5", "limit=abc", "limit=100000", "before=", "before=%ff", "unknown=1", "limit=1&limit=2", "a".repeat(2_000) + "=1"])}` : "";
  const headers: Record<string, string> = {};
  const auth = rng.int(5);
  if (auth === 0) headers.authorization = `Bearer ${t.apiKey}`;
  else if (auth === 1) headers.authorization = rng.pick(["Bearer", "Basic abc", `Bearer ${"tn_" + "Z".repeat(43)}`, "Bearer \u00ff\u00fe", "bearer  tn_x"]);
  else if (auth === 2) {
    headers["x-tensornode-account"] = rng.pick(["0.0.1001", "garbage", "0.0.99999999999999999999"]);
    headers["x-tensornode-timestamp"] = rng.pick([String(Date.now()), "0", "-1", "1e20", "soon"]);
    headers["x-tensornode-nonce"] = rng.pick(["abcdefgh12", "", "!!!", "n".repeat(500)]);
    headers["x-tensornode-signature"] = rng.pick(["00".repeat(64), "zz", "ab".repeat(64)]);
  }
  let body: string | Uint8Array | undefined;
  if (op.method !== "get") {
    const base = VALID_BODIES[op.path] ?? {};
    const shape = rng.int(10);
    if (shape < 6) body = JSON.stringify(rng.next() < 0.15 ? base : mutate(rng, base));
    else if (shape === 6) body = rng.pick(["{", "[]", "null", "\"str\"", "{\"model\":", "1e999", "{}".repeat(10_000)]);
    else if (shape === 7) body = Uint8Array.from({ length: rng.int(512) }, () => rng.int(256));
    else if (shape === 8) body = `--b\r\nContent-Disposition: form-data; name="model"\r\n\r\n${rng.pick(["pocketsphinx-en-us", "", "x"])}\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF\u0000\u0000\u0000\u0000WAVEgarbage\r\n--b--\r\n`;
    if (body !== undefined) {
      const type = rng.int(6);
      if (type <= 2) headers["content-type"] = "application/json";
      else if (type === 3) headers["content-type"] = shape === 8 ? "multipart/form-data; boundary=b" : "multipart/form-data; boundary=zz";
      else if (type === 4) headers["content-type"] = rng.pick(["text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "image/png"]);
    }
  }
  // Some requests are properly signed by a miner's key, so signed routes get past authentication too.
  if (auth === 3) {
    const miner = t.network.hedera.accounts.miners[1]!;
    Object.assign(headers, signRequest({ method: op.method.toUpperCase(), path: `${path}${query}`, body: body ?? "" }, miner.accountId, miner.privateKey));
  }
  return { method: op.method.toUpperCase(), path: `${path}${query}`, headers, ...(body !== undefined && { body }) };
}

describe("fuzzing every route", () => {
  it(`never answers 5xx (seed ${SEED}, ${CASES_PER_OPERATION} cases per operation)`, async () => {
    const rng = prng(SEED);
    const failures: string[] = [];
    let sent = 0;
    for (const op of DOCUMENTED_OPERATIONS) {
      for (let i = 0; i < CASES_PER_OPERATION; i++) {
        const request = makeRequest(rng, op);
        const response = await fetch(`${t.network.urls.api}${request.path}`, { method: request.method, headers: request.headers, ...(request.body !== undefined && { body: request.body as string }) });
        const text = await response.text();
        sent++;
        const describe = () => `${request.method} ${request.path.slice(0, 120)} [${JSON.stringify(request.headers).slice(0, 200)}] ${typeof request.body === "string" ? request.body.slice(0, 200) : `<${request.body?.length ?? 0} bytes>`} → ${response.status} ${text.slice(0, 200)}`;
        if (response.status >= 500) failures.push(describe());
        else if (response.status >= 400 && !/^\{"error":\{"message":/.test(text)) failures.push(`not an OpenAI error body: ${describe()}`);
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBe(DOCUMENTED_OPERATIONS.length * CASES_PER_OPERATION);
  }, 300_000);
});
