import { startHttpGateway } from "./packages/local/src/gateway/index.js";
import { request } from "./packages/local/test/gateway/http-client.js";
const g = await startHttpGateway({ port: 0, routes: [{ routeKey: "POST /u", invoke: async () => "ok" }] });
const big = Buffer.alloc(12 * 1024 * 1024);
try { console.log("declared", (await request(`${g.url}/u`, { method: "POST", body: big })).status); } catch (e) { console.log("declared err", (e as Error).message); }
const chunks = Array.from({ length: 192 }, () => Buffer.alloc(64 * 1024));
try { console.log("chunked", (await request(`${g.url}/u`, { method: "POST", body: chunks })).status); } catch (e) { console.log("chunked err", (e as Error).message); }
try { const r = await fetch(`${g.url}/u`, { method: "POST", body: big }); console.log("fetch", r.status, await r.text()); } catch (e) { console.log("fetch err", (e as Error).message, (e as any).cause?.code); }
try { const r = await fetch(`${g.url}/u`, { method: "POST", body: new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(65536)); } }), duplex: "half" } as any); console.log("fetch stream", r.status, await r.text()); } catch (e) { console.log("fetch stream err", (e as Error).message, (e as any).cause?.code); }
console.log("small", (await request(`${g.url}/u`, { method: "POST", body: "x" })).text);
await g.close(); console.log("closed");
