import { generateKeyPairSync } from "node:crypto";
import { signRequest } from "@tensornode/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchAuthorizer } from "../src/dispatch-auth.js";
import { startMiner, type RunningMiner } from "../src/server.js";
import { json, MODEL, ONLY_TEXT_ENGINES } from "./helpers.js";

/** The miner only does work the network's dispatch account signed; unsigned, forged or replayed requests get 401. */
function ed25519() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const spki = publicKey.export({ format: "der", type: "spki" });
  return { der: privateKey.export({ format: "der", type: "pkcs8" }).toString("hex"), hex: spki.subarray(spki.length - 32).toString("hex") };
}

const dispatch = ed25519();
const stranger = ed25519();
let miner: RunningMiner;

beforeAll(async () => {
  // The LLM is off (missing file): a request that passes the signature check gets 503, one that fails gets 401.
  miner = await startMiner({
    port: 0,
    config: { ...ONLY_TEXT_ENGINES, llm: { modelPath: "/nonexistent.gguf", modelId: MODEL }, embeddings: { enabled: false } },
    authorize: dispatchAuthorizer({ accountId: "0.0.3001", publicKey: { type: "ED25519", hex: dispatch.hex } }),
  });
});
afterAll(() => miner.close());

const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi" }] });
const post = (headers: Record<string, string>) => fetch(`${miner.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("dispatch signatures", () => {
  it("lets a request signed by the dispatch account through, once", async () => {
    const headers = signRequest({ method: "POST", path: "/v1/chat/completions", body }, "0.0.3001", dispatch.der);
    expect((await post(headers)).status).toBe(503); // past the check, on to the (off) engine
    const replay = await post(headers);
    expect(replay.status).toBe(401);
    expect((await json(replay)).error.message).toMatch(/Replayed/);
  });

  it("refuses unsigned requests and requests signed by anyone else", async () => {
    expect((await post({})).status).toBe(401);
    expect((await post(signRequest({ method: "POST", path: "/v1/chat/completions", body }, "0.0.3001", stranger.der))).status).toBe(401);
    expect((await post(signRequest({ method: "POST", path: "/v1/chat/completions", body }, "0.0.4444", stranger.der))).status).toBe(401);
  });

  it("verifies multipart uploads over their raw bytes (binary audio included)", async () => {
    const form = new FormData();
    form.set("model", "pocketsphinx-en-us");
    form.set("file", new Blob([new Uint8Array([0x52, 0x49, 0x46, 0x46, 0xff, 0xfe, 0x00, 0x80, 0xc3])]), "a.wav");
    const encoded = new Request("http://miner/", { method: "POST", body: form });
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const headers = { "content-type": encoded.headers.get("content-type")!, ...signRequest({ method: "POST", path: "/v1/audio/transcriptions", body: bytes }, "0.0.3001", dispatch.der) };
    const signed = await fetch(`${miner.url}/v1/audio/transcriptions`, { method: "POST", headers, body: bytes });
    expect(signed.status).toBe(503); // past the check, on to the (disabled) STT engine
    const tampered = bytes.slice();
    tampered[tampered.length - 60]! ^= 1;
    const fresh = { "content-type": headers["content-type"], ...signRequest({ method: "POST", path: "/v1/audio/transcriptions", body: bytes }, "0.0.3001", dispatch.der) };
    const forged = await fetch(`${miner.url}/v1/audio/transcriptions`, { method: "POST", headers: fresh, body: tampered });
    expect(forged.status).toBe(401);
  });

  it("still serves the public reads without a signature", async () => {
    expect((await fetch(`${miner.url}/health`)).status).toBe(200);
  });
});
