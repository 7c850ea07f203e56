// COCO object detection (@vladmandic/human's CenterNet on tfjs' WASM backend) in its own worker thread.
// Plain JavaScript so it runs the same under tsx, vitest and plain node. Why a worker: tfjs keeps its
// engine and kernel registry on globalThis, and @energetic-ai (the embeddings engine) bundles its own
// tfjs with a WASM backend; in one isolate the two copies overwrite each other's kernels and crash.
// A worker also keeps the synchronous WASM inference (~0.2 s) off the HTTP server's event loop.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parentPort } from "node:worker_threads";

const require = createRequire(import.meta.url);
let human;

// Node's fetch cannot read file://, and tfjs loads the graph model and WASM binary through fetch.
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!url.startsWith("file://")) return realFetch(input, init);
  const type = url.endsWith(".json") ? "application/json" : url.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
  return new Response(await readFile(fileURLToPath(url)), { headers: { "content-type": type } });
};

async function load({ minScore }) {
  // The package's `exports` map lacks "./dist/human.node-wasm.js", so it is loaded by file path.
  const humanDir = dirname(dirname(require.resolve("@vladmandic/human")));
  const wasmDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
  const { Human } = require(join(humanDir, "dist", "human.node-wasm.js"));
  const instance = new Human({
    backend: "wasm",
    wasmPath: `${pathToFileURL(wasmDir).href}/`,
    modelBasePath: `${pathToFileURL(join(humanDir, "models")).href}/`,
    debug: false,
    // Every request is a new image: no frame cache, no temporal filter.
    cacheSensitivity: 0,
    filter: { enabled: false },
    face: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    object: { enabled: true, modelPath: "centernet.json", minConfidence: minScore, maxDetected: 20 },
  });
  await instance.load();
  if (instance.tf.getBackend() !== "wasm") throw new Error(`tfjs backend is '${instance.tf.getBackend()}', not wasm`);
  human = instance;
  // The first inference is several times slower: pay it now.
  await detect({ data: new Uint8Array(64 * 64 * 3).fill(255), width: 64, height: 64 });
}

async function detect({ data, width, height }) {
  const pixels = human.tf.tensor3d(Int32Array.from(data), [height, width, 3], "int32");
  const batch = human.tf.expandDims(pixels, 0);
  try {
    const result = await human.detect(batch);
    if (result.error) throw new Error(`object detection failed: ${result.error}`);
    return result.object.map((o) => ({ label: o.label, score: o.score, box: o.box }));
  } finally {
    human.tf.dispose([pixels, batch]);
  }
}

parentPort.on("message", async (message) => {
  try {
    if (message.type === "load") {
      await load(message.options);
      parentPort.postMessage({ id: message.id, ok: true });
    } else {
      parentPort.postMessage({ id: message.id, ok: true, objects: await detect(message.image) });
    }
  } catch (error) {
    parentPort.postMessage({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
