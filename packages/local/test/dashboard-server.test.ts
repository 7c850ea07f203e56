import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDashboardServer } from "../src/dashboard-server.js";

/**
 * A temporary site: `root/web` is served; `root/package.json` and `root/web-secret/` sit next to it
 * and must stay out of reach.
 */
let root: string;
let dashboard: Awaited<ReturnType<typeof startDashboardServer>>;
const config = { apiUrl: "http://127.0.0.1:4100", webSocketUrl: "ws://127.0.0.1:4101", apiKey: "tn_demo" };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "dashboard-test-"));
  const webDir = join(root, "web");
  mkdirSync(join(webDir, "assets"), { recursive: true });
  mkdirSync(join(root, "web-secret"));
  writeFileSync(join(webDir, "index.html"), "<!doctype html><title>TensorNode</title>");
  writeFileSync(join(webDir, "assets", "app.css"), "body { margin: 0 }");
  writeFileSync(join(root, "package.json"), '{"name":"outside"}');
  writeFileSync(join(root, "web-secret", "secret.txt"), "outside");
  dashboard = await startDashboardServer({ port: 0, webDir, config });
});

afterAll(async () => {
  await dashboard?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A raw request: unlike fetch, node:http sends the path exactly as written (no `..` folding). */
function get(path: string, method = "GET") {
  const { hostname, port } = new URL(dashboard.url);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("dashboard server: static files", () => {
  it("serves index.html for /", async () => {
    // Act
    const response = await get("/");

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.body).toBe("<!doctype html><title>TensorNode</title>");
  });

  it("serves a nested file with its content type and length", async () => {
    // Act
    const response = await get("/assets/app.css");

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(response.headers["content-length"]).toBe(String("body { margin: 0 }".length));
    expect(response.body).toBe("body { margin: 0 }");
  });

  it("answers HEAD with the headers and no body", async () => {
    // Act
    const response = await get("/index.html", "HEAD");

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.body).toBe("");
  });

  it("answers 404 for a missing file and for a folder", async () => {
    // Act
    const missing = await get("/nope.js");
    const folder = await get("/assets");

    // Assess
    expect(missing.status).toBe(404);
    expect(folder.status).toBe(404);
  });

  it("answers 405 with an Allow header for POST", async () => {
    // Act
    const response = await get("/", "POST");

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD");
  });
});

describe("dashboard server: the generated config.js", () => {
  it("defines window.TENSORNODE_CONFIG as the given config, never cached", async () => {
    // Act
    const response = await get("/config.js");

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-store");
    const sandbox = { window: {} as Record<string, unknown> };
    runInNewContext(response.body, sandbox);
    expect(sandbox.window.TENSORNODE_CONFIG).toEqual(config);
  });
});

describe("dashboard server: no way out of webDir", () => {
  it.each(["/../package.json", "/%2e%2e/package.json", "/%2e%2e%2fpackage.json", "/..%2f..%2fpackage.json", "/..%2fweb-secret%2fsecret.txt", "/assets/..%2f..%2fpackage.json"])(
    "%s → 404",
    async (path) => {
      // Act
      const response = await get(path);

      // Assess
      expect(response.status).toBe(404);
      expect(response.body).not.toContain("outside");
    },
  );

  it("answers 400 for a path that does not decode", async () => {
    // Act
    const response = await get("/%E0%A4%A");

    // Assess
    expect(response.status).toBe(400);
  });
});
