import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMinerApp, type MinerApp } from "../src/app.js";
import { closeEngines, loadEngines, type EngineRegistry } from "../src/engines/registry.js";
import { TensornodeVisionEngine } from "../src/engines/vision-engine.js";
import { json, MODEL, post, readSse } from "./helpers.js";

// The real PaddleOCR (onnxruntime-node) and CenterNet (tfjs WASM) from node_modules, loaded once.
let engines: EngineRegistry;
let app: MinerApp;
let png: Buffer;
const VISION = "tensornode-vision";
const LINES = ["Invoice 4821", "total due 137.50"];

beforeAll(async () => {
  engines = await loadEngines({
    vision: new TensornodeVisionEngine({ modelId: VISION, ocr: true, objects: true, minObjectScore: 0.3, maxImagePixels: 4_000_000, ocrMaxSide: 2048 }),
  });
  app = createMinerApp({ engines, config: { vision: { maxImageBytes: 200_000 } } });
  // Rendered at test time with the system's DejaVu Sans (fontconfig), as a person would type it.
  const text = LINES.map((line, i) => `<text x="30" y="${90 + i * 80}" font-family="DejaVu Sans" font-size="48" fill="black">${line}</text>`).join("");
  png = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="900" height="220"><rect width="100%" height="100%" fill="white"/>${text}</svg>`)).png().toBuffer();
});
afterAll(() => closeEngines(engines));

const dataUrl = (bytes: Buffer, type = "image/png") => `data:${type};base64,${bytes.toString("base64")}`;
const analyze = (image: string, extra: Record<string, unknown> = {}) => post(app, "/v1/vision/analyze", { model: VISION, image, ...extra });

async function expectError(response: Response, status: number, error: Record<string, unknown>) {
  expect(response.status).toBe(status);
  expect((await json(response)).error).toMatchObject(error);
}

describe("POST /v1/vision/analyze", () => {
  it("reads the rendered text exactly, with confidences and boxes", async () => {
    const response = await analyze(dataUrl(png));
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ object: "vision.analysis", model: VISION, width: 900, height: 220, usage: { images: 1 } });
    expect(body.text.map((l: { text: string }) => l.text)).toEqual(LINES);
    for (const line of body.text) {
      expect(line.confidence).toBeGreaterThan(0.8);
      expect(line.box).toEqual({ x: expect.any(Number), y: expect.any(Number), width: expect.any(Number), height: expect.any(Number) });
      expect(line.box.x).toBeLessThan(60);
    }
    expect(body.text[0].box.y).toBeLessThan(body.text[1].box.y);
  });

  it("detects objects as a well-formed list, labels being the distinct best scores", async () => {
    const scene = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="100%" height="100%" fill="#88aacc"/><circle cx="320" cy="240" r="120" fill="red"/></svg>`))
      .jpeg()
      .toBuffer();
    const body = await json(await analyze(scene.toString("base64"), { tasks: ["objects"] }));
    expect(body.text).toEqual([]);
    expect(Array.isArray(body.objects)).toBe(true);
    for (const o of body.objects) {
      expect(o).toEqual({ label: expect.any(String), score: expect.any(Number), box: { x: expect.any(Number), y: expect.any(Number), width: expect.any(Number), height: expect.any(Number) } });
      expect(o.score).toBeGreaterThanOrEqual(0.3);
    }
    expect(body.labels.map((l: { label: string }) => l.label)).toEqual([...new Set(body.objects.map((o: { label: string }) => o.label))].sort((a, b) => {
      const best = (label: unknown) => Math.max(...body.objects.filter((o: { label: string }) => o.label === label).map((o: { score: number }) => o.score));
      return best(b) - best(a);
    }));
  });

  it("is listed with its tasks and the per-image price", async () => {
    const model = await json(await app.request(`/v1/models/${VISION}`));
    expect(model).toMatchObject({ modality: "vision", unit: "image", tasks: ["text", "objects"], price: { unit: "image" } });
    const { modalities } = await json(await app.request("/v1/capabilities"));
    expect(modalities.vision).toMatchObject({ status: "ready", tasks: { text: { status: "ready" }, objects: { status: "ready" } } });
  });

  it("refuses corrupt, oversized, remote and non-image input with 4xx", async () => {
    await expectError(await analyze(dataUrl(Buffer.from("definitely not a PNG file"))), 400, { code: "invalid_image", param: "image" });
    await expectError(await analyze(dataUrl(png.subarray(0, 100))), 400, { code: "invalid_image" });
    await expectError(await analyze("not base64 at all!"), 400, { code: "invalid_image" });
    await expectError(await analyze("https://example.com/cat.png"), 400, { code: "invalid_image" });
    await expectError(await analyze("data:text/plain;base64,aGVsbG8="), 400, { code: "invalid_image" });
    await expectError(await analyze(Buffer.alloc(300_000, 1).toString("base64")), 400, { code: "image_too_large" });
    await expectError(await analyze(dataUrl(png), { tasks: ["faces"] }), 400, { param: "tasks.0" });
    const big = await post(app, "/v1/vision/analyze", { model: VISION, image: "A".repeat(2_000_000) });
    expect(big.status).toBe(413);
  });
});

describe("chat with the vision model", () => {
  const imageMessage = (url: string) => [{ role: "user", content: [{ type: "text", text: "What is in this image?" }, { type: "image_url", image_url: { url } }] }];

  it("describes the image as an ordinary chat completion", async () => {
    const response = await post(app, "/v1/chat/completions", { model: VISION, messages: imageMessage(dataUrl(png)) });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-tensornode-usage-images")).toBe("1");
    const body = await json(response);
    expect(body).toMatchObject({ object: "chat.completion", model: VISION, choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant" } }] });
    const content: string = body.choices[0].message.content;
    expect(content.startsWith(`Text in the image:\n${LINES.join("\n")}\nObjects: `)).toBe(true);
    expect(body.usage).toEqual({ prompt_tokens: Math.ceil("What is in this image?".length / 4), completion_tokens: Math.ceil(content.length / 4), total_tokens: expect.any(Number) });
  });

  it("streams the description as one chunk, then [DONE]", async () => {
    const events = await readSse(await post(app, "/v1/chat/completions", { model: VISION, messages: imageMessage(dataUrl(png)), stream: true }));
    expect(events.at(-1)).toBe("[DONE]");
    const text = events.flatMap((e) => (e === "[DONE]" ? [] : e.choices.map((c: { delta: { content?: string } }) => c.delta.content ?? ""))).join("");
    expect(text).toContain("Invoice 4821");
  });

  it("refuses image parts sent to a model that cannot see, naming the vision model, and a vision chat without image", async () => {
    await expectError(await post(app, "/v1/chat/completions", { model: MODEL, messages: imageMessage(dataUrl(png)) }), 400, {
      code: "image_input_unsupported",
      message: expect.stringContaining(VISION),
    });
    await expectError(await post(app, "/v1/chat/completions", { model: VISION, messages: [{ role: "user", content: "hi" }] }), 400, { code: "missing_image" });
    await expectError(await post(app, "/v1/chat/completions", { model: VISION, messages: imageMessage("data:image/png;base64,AAAA") }), 400, { code: "invalid_image" });
  });
});
