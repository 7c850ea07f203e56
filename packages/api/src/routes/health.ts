import { Hono } from "hono";
import type { ApiEnv } from "../deps.js";

/** Liveness: answers without touching any dependency, so it is cheap to poll. */
export const health = new Hono<ApiEnv>().get("/", (c) =>
  c.json({ status: "ok", service: "tensornode-api", version: c.var.deps.version, time: c.var.deps.clock.now().toISOString() }),
);
