import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/**
 * Serves the static dashboard (`web/`) on 127.0.0.1, as CloudFront serves it in production, plus
 * a generated `config.js` telling the page where the local API and WebSocket endpoints are.
 */
export function startDashboardServer(options: { port: number; webDir: string; config: Record<string, unknown> }) {
  const webDir = resolve(options.webDir);
  const configScript = `window.TENSORNODE_CONFIG = ${JSON.stringify(options.config)};\n`;
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://local").pathname);
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      if (path === "/config.js") {
        res.writeHead(200, { "content-type": CONTENT_TYPES[".js"]!, "cache-control": "no-store" }).end(configScript);
        return;
      }
      const file = normalize(join(webDir, path.endsWith("/") ? `${path}index.html` : path));
      if (!file.startsWith(webDir + sep)) {
        res.writeHead(404).end("Not found");
        return;
      }
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) {
        res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
        return;
      }
      res.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream", "content-length": info.size });
      if (req.method === "HEAD") res.end();
      else createReadStream(file).pipe(res);
    } catch {
      if (!res.headersSent) res.writeHead(400).end("Bad request");
    }
  });
  return new Promise<{ url: string; close(): Promise<void> }>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
