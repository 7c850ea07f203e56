import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMinerApp, type MinerApp } from "../src/app.js";
import { ApertiumEngine } from "../src/engines/apertium-engine.js";
import { closeEngines, loadEngines, type EngineRegistry } from "../src/engines/registry.js";
import { json, post } from "./helpers.js";

// The real Apertium with apertium-eng-spa (Debian packages the bootstrap installs).
let engines: EngineRegistry;
let app: MinerApp;
const MODEL = "apertium-eng-spa";

beforeAll(async () => {
  engines = await loadEngines({ translation: new ApertiumEngine({ modelId: MODEL, apertiumPath: "apertium", pairs: [], timeoutMs: 30_000 }) });
  app = createMinerApp({ engines, config: { translation: { maxInputs: 3 }, limits: { maxInputChars: 500 } } });
});
afterAll(() => closeEngines(engines));

const translate = (input: unknown, extra: Record<string, unknown> = {}) =>
  post(app, "/v1/translations", { model: MODEL, input, source_language: "en", target_language: "es", ...extra });

describe("POST /v1/translations", () => {
  it("translates English to Spanish and bills the input characters", async () => {
    const response = await translate("I would like to buy a red car");
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ object: "list", model: MODEL, usage: { characters: 29 } });
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ object: "translation", index: 0 });
    expect(body.data[0].translation).toContain("coche rojo");
  });

  it("translates a batch in order, and Spanish back to English", async () => {
    const body = await json(await translate(["My sister works in a hospital.", "Hello"]));
    expect(body.data.map((d: { index: number }) => d.index)).toEqual([0, 1]);
    expect(body.data[0].translation).toContain("hospital");
    expect(body.usage.characters).toBe(35);
    const back = await json(await translate("Me gustaría comprar un coche rojo", { source_language: "es", target_language: "en" }));
    expect(back.data[0].translation).toContain("red car");
    // Apertium's own 639-3 codes are accepted too.
    expect((await translate("Hello", { source_language: "eng", target_language: "spa" })).status).toBe(200);
  });

  it("lists its pairs in /v1/models with the character price", async () => {
    const model = await json(await app.request(`/v1/models/${MODEL}`));
    expect(model).toMatchObject({ modality: "translation", unit: "character", price: { unit: "character", tinybars_per_unit: "1" } });
    expect(model.pairs).toEqual(expect.arrayContaining(["en-es", "es-en"]));
  });

  it("refuses an unknown pair (naming the supported ones), too many inputs, too long input, bad fields", async () => {
    const pair = await translate("Hello", { target_language: "de" });
    expect(pair.status).toBe(400);
    expect((await json(pair)).error).toMatchObject({ code: "unsupported_language_pair", message: expect.stringContaining("en-es") });
    expect((await json(await translate(["a", "b", "c", "d"]))).error).toMatchObject({ code: "too_many_inputs", param: "input" });
    expect((await json(await translate("x".repeat(501)))).error).toMatchObject({ code: "input_too_long" });
    const bad = await translate([1, 2]);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.param).toBe("input");
    expect((await post(app, "/v1/translations", { model: MODEL, input: "x" })).status).toBe(400);
  });
});
