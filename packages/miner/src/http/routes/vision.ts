import { Hono } from "hono";
import type { VisionAnalysis, VisionEngine, VisionTask } from "../../engines/engine.js";
import { requireEngine, withSlot, type MinerContext } from "../context.js";
import { HttpError } from "../errors.js";
import { decodeImageInput } from "../image-input.js";
import { readJsonBody } from "../json-body.js";
import { visionRequest } from "../schemas.js";

/** The tasks to run: those asked for (503 with the reason if one is off), else every ready one. */
export function visionTasks(ctx: MinerContext, engine: VisionEngine, requested: readonly VisionTask[] | null | undefined): VisionTask[] {
  const ready = (["text", "objects"] as const).filter((t) => engine.taskReasons[t] === null);
  if (!requested) return ready;
  for (const task of requested) {
    const reason = engine.taskReasons[task];
    if (reason !== null) {
      throw new HttpError(503, `This miner's vision task '${task}' is off: ${reason}`, "engine_unavailable", "tasks", { "retry-after": String(ctx.config.limits.retryAfterSeconds) });
    }
  }
  return [...new Set(requested)];
}

/** Distinct object labels with their best score, best first. */
export function labelsOf(objects: NonNullable<VisionAnalysis["objects"]>): Array<{ label: string; score: number }> {
  const best = new Map<string, number>();
  for (const o of objects) best.set(o.label, Math.max(best.get(o.label) ?? 0, o.score));
  return [...best].map(([label, score]) => ({ label, score })).sort((a, b) => b.score - a.score);
}

/**
 * `POST /v1/vision/analyze`: `image` (data URL or base64 PNG/JPEG/WebP/GIF), optional `tasks`
 * (`text`, `objects`; default both). Answers text lines, objects and labels, with `usage.images` 1.
 */
export function visionRoutes(ctx: MinerContext) {
  return new Hono().post("/", async (c) => {
    const body = await readJsonBody(c, visionRequest);
    const engine = requireEngine(ctx, "vision", body.model);
    const tasks = visionTasks(ctx, engine, body.tasks);
    const image = decodeImageInput(ctx, body.image, "image");
    const analysis = await withSlot(ctx, "vision", () => engine.analyze(image, tasks));
    const objects = analysis.objects ?? [];
    return c.json({
      object: "vision.analysis",
      model: body.model,
      width: analysis.width,
      height: analysis.height,
      text: analysis.text ?? [],
      objects,
      labels: labelsOf(objects),
      usage: { images: 1 },
    });
  });
}
