import type { Sharp } from "sharp";
import { EngineInputError, type Box, type LoadResult, type VisionAnalysis, type VisionEngine, type VisionTask } from "./engine.js";
import { ObjectDetector } from "./object-detector.js";

export interface VisionEngineOptions {
  modelId: string;
  /** OCR with PaddleOCR (PP-OCRv4 ONNX) through @gutenye/ocr-node. */
  ocr: boolean;
  /** COCO object detection with CenterNet through @vladmandic/human on tfjs' WASM backend. */
  objects: boolean;
  /** Detections scoring below this are dropped. */
  minObjectScore: number;
  /** Images with more pixels are refused (decompression bombs). */
  maxImagePixels: number;
  /** OCR runs at full resolution; larger images are scaled down to this longest side first. */
  ocrMaxSide: number;
}

const FORMATS = new Set(["png", "jpeg", "webp", "gif"]);

type SharpFactory = (input?: Buffer, options?: { limitInputPixels?: number; raw?: { width: number; height: number; channels: 1 | 2 | 3 | 4 } }) => Sharp;

interface OcrLine {
  text: string;
  mean: number;
  box: number[][];
}
interface Ocr {
  detect(image: Buffer): Promise<OcrLine[]>;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Image analysis, all from npm packages (no download at run time): text lines with PaddleOCR
 * (@gutenye/ocr-node 1.4.8: PP-OCRv4 detection + recognition on onnxruntime-node's bundled CPU binary)
 * and COCO objects (80 classes) with @vladmandic/human 3.3.6's CenterNet on tfjs 4.22's WASM backend,
 * in a worker thread (`object-detector-worker.mjs` says why).
 * Each part loads on its own: the engine is ready when at least one is, and `taskReasons` says why
 * the other is off. Images are decoded with sharp; EXIF orientation is applied.
 */
export class TensornodeVisionEngine implements VisionEngine {
  readonly modality = "vision" as const;
  readonly modelIds: readonly string[];
  taskReasons: Record<VisionTask, string | null> = { text: "not loaded", objects: "not loaded" };
  private sharp: SharpFactory | undefined;
  private ocr: Ocr | undefined;
  private detector: ObjectDetector | undefined;

  constructor(private readonly options: VisionEngineOptions) {
    this.modelIds = [options.modelId];
  }

  details(): Record<string, unknown> {
    return { tasks: (["text", "objects"] as const).filter((t) => this.taskReasons[t] === null) };
  }

  async load(): Promise<LoadResult> {
    try {
      this.sharp = (await import("sharp")).default as unknown as SharpFactory;
    } catch (error) {
      return { ok: false, reason: `sharp (image decoding) could not load: ${(error as Error).message}` };
    }
    const [ocr, objects] = await Promise.all([
      this.options.ocr ? this.loadOcr() : Promise.resolve("disabled in the miner configuration"),
      this.options.objects ? this.loadHuman() : Promise.resolve("disabled in the miner configuration"),
    ]);
    this.taskReasons = { text: ocr, objects };
    if (ocr !== null && objects !== null) return { ok: false, reason: `text (OCR): ${ocr}; objects: ${objects}` };
    return { ok: true };
  }

  private async loadOcr(): Promise<string | null> {
    try {
      const { default: OcrClass } = await import("@gutenye/ocr-node");
      const ocr = (await OcrClass.create()) as Ocr;
      await ocr.detect(await this.blank());
      this.ocr = ocr;
      return null;
    } catch (error) {
      return `PaddleOCR (@gutenye/ocr-node, onnxruntime-node) could not load: ${(error as Error).message}; reinstall with .npmrc 'onnxruntime-node-install=skip'`;
    }
  }

  private async loadHuman(): Promise<string | null> {
    const detector = new ObjectDetector();
    try {
      await detector.load(this.options.minObjectScore);
      this.detector = detector;
      return null;
    } catch (error) {
      await detector.close().catch(() => {});
      return `@vladmandic/human CenterNet on tfjs-backend-wasm could not load: ${(error as Error).message}`;
    }
  }

  /** A white 64x64 PNG: the warm-up image (the first inference of each model is several times slower). */
  private blank(): Promise<Buffer> {
    return this.sharp!(Buffer.alloc(64 * 64 * 3, 255), { raw: { width: 64, height: 64, channels: 3 } }).png().toBuffer();
  }

  async close(): Promise<void> {
    this.ocr = undefined;
    await this.detector?.close();
    this.detector = undefined;
  }

  async analyze(image: Buffer, tasks: readonly VisionTask[]): Promise<VisionAnalysis> {
    const sharp = this.sharp;
    if (!sharp) throw new Error("the vision engine is not loaded");
    let metadata;
    try {
      metadata = await sharp(image, { limitInputPixels: this.options.maxImagePixels }).metadata();
    } catch (error) {
      const message = (error as Error).message;
      if (/pixel limit/i.test(message)) throw new EngineInputError("image_too_large", `The image has more than ${this.options.maxImagePixels} pixels.`, "image");
      throw new EngineInputError("invalid_image", `The image could not be decoded (${message}); send PNG, JPEG, WebP or GIF.`, "image");
    }
    if (!metadata.format || !FORMATS.has(metadata.format) || !metadata.width || !metadata.height) {
      throw new EngineInputError("invalid_image", `Unsupported image format '${metadata.format ?? "unknown"}'; send PNG, JPEG, WebP or GIF.`, "image");
    }
    if (metadata.width * metadata.height > this.options.maxImagePixels) {
      throw new EngineInputError("image_too_large", `The image has ${metadata.width}x${metadata.height} pixels; at most ${this.options.maxImagePixels} are accepted.`, "image");
    }
    // One decode, EXIF orientation applied: everything below works on upright RGB pixels.
    let upright;
    try {
      upright = await sharp(image, { limitInputPixels: this.options.maxImagePixels }).rotate().flatten({ background: "#ffffff" }).toColourspace("srgb").removeAlpha().raw().toBuffer({ resolveWithObject: true });
    } catch (error) {
      throw new EngineInputError("invalid_image", `The image could not be decoded (${(error as Error).message}).`, "image");
    }
    const { width, height, channels } = upright.info;
    if (channels !== 3) throw new EngineInputError("invalid_image", `The image decoded to ${channels} channels; RGB expected.`, "image");
    const result: VisionAnalysis = { width, height };
    if (tasks.includes("text")) result.text = await this.readText(upright.data, width, height);
    if (tasks.includes("objects")) result.objects = await this.detectObjects(upright.data, width, height);
    return result;
  }

  private async readText(rgb: Buffer, width: number, height: number): Promise<NonNullable<VisionAnalysis["text"]>> {
    const ocr = this.ocr;
    if (!ocr) throw new Error("OCR is not loaded");
    const scale = Math.min(1, this.options.ocrMaxSide / Math.max(width, height));
    let pipeline = this.sharp!(rgb, { raw: { width, height, channels: 3 } });
    if (scale < 1) pipeline = pipeline.resize({ width: Math.round(width * scale), height: Math.round(height * scale) });
    const lines = await ocr.detect(await pipeline.png({ compressionLevel: 1 }).toBuffer());
    return lines
      .filter((line) => line.text.trim() !== "")
      .map((line) => {
        const xs = line.box.map((p) => p[0]! / scale);
        const ys = line.box.map((p) => p[1]! / scale);
        const x = Math.max(0, Math.min(...xs));
        const y = Math.max(0, Math.min(...ys));
        const box: Box = { x: Math.round(x), y: Math.round(y), width: Math.round(Math.min(width, Math.max(...xs)) - x), height: Math.round(Math.min(height, Math.max(...ys)) - y) };
        return { text: line.text, confidence: round(line.mean), box };
      });
  }

  private async detectObjects(rgb: Buffer, width: number, height: number): Promise<NonNullable<VisionAnalysis["objects"]>> {
    const detector = this.detector;
    if (!detector) throw new Error("object detection is not loaded");
    const objects = await detector.detect(rgb, width, height);
    return objects.map((o) => ({
      label: o.label,
      score: round(o.score),
      box: { x: Math.max(0, Math.round(o.box[0])), y: Math.max(0, Math.round(o.box[1])), width: Math.round(o.box[2]), height: Math.round(o.box[3]) },
    }));
  }
}
