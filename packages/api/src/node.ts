import { serve } from "@hono/node-server";
import type { ApiApp } from "./app.js";

/** Serves the app as a plain Node HTTP server on 127.0.0.1 (benchmarks, local tools). */
export function serveOnNode(app: ApiApp, port: number, hostname = "127.0.0.1"): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) =>
      resolve({ url: `http://${hostname}:${info.port}`, close: () => new Promise((done) => server.close(() => done())) }),
    );
  });
}
