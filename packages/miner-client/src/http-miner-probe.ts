import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { isPrivateAddress, type MinerProbe, type ProbeResult } from "@tensornode/core";
import { publicAddressLookup } from "./public-address-lookup.js";

/**
 * Probes a miner with `GET <endpoint>/health` over Node's HTTP client. Any 2xx within the timeout
 * is healthy; everything else (refused, timeout, 5xx, a redirect, which is not followed) is a
 * failed probe, never an exception. Like the dispatch transport, it never connects to a private
 * address unless `allowPrivateAddresses` is set (the local runtime): a probe is a request from
 * inside the network too.
 */
export class HttpMinerProbe implements MinerProbe {
  // A fresh connection per probe: probes are a minute apart, and a Lambda frozen in between would
  // reuse sockets the miner has closed, failing probes of a healthy miner.
  readonly #http = new HttpAgent({ keepAlive: false, maxSockets: 64 });
  readonly #https = new HttpsAgent({ keepAlive: false, maxSockets: 64 });
  readonly #lookup: ReturnType<typeof publicAddressLookup> | undefined;

  constructor(options: { allowPrivateAddresses?: boolean } = {}) {
    this.#lookup = options.allowPrivateAddresses ? undefined : publicAddressLookup();
  }

  check(endpoint: string, timeoutMs: number): Promise<ProbeResult> {
    const started = performance.now();
    const failed = (error: string): ProbeResult => ({ ok: false, latencyMs: Math.round(performance.now() - started), error });
    let url: URL;
    try {
      url = new URL("health", endpoint.endsWith("/") ? endpoint : `${endpoint}/`);
    } catch {
      return Promise.resolve(failed(`invalid endpoint '${endpoint}'`));
    }
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (this.#lookup && isIP(host) && isPrivateAddress(host)) return Promise.resolve(failed(`${host} is not a public address`));
    const secure = url.protocol === "https:";
    return new Promise((resolve) => {
      let timedOut = false;
      const request = (secure ? httpsRequest : httpRequest)(
        { protocol: url.protocol, hostname: host, port: url.port, path: `${url.pathname}${url.search}`, method: "GET", headers: { accept: "application/json" }, agent: secure ? this.#https : this.#http, ...(this.#lookup && { lookup: this.#lookup }) },
        (response) => {
          const status = response.statusCode ?? 0;
          // Drained, so the connection is reusable.
          response.resume();
          response.once("end", () => {
            clearTimeout(timer);
            resolve(status >= 200 && status < 300 ? { ok: true, latencyMs: Math.round(performance.now() - started) } : failed(`HTTP ${status}`));
          });
          response.once("error", () => undefined);
          response.once("close", () => {
            clearTimeout(timer);
            resolve(failed(timedOut ? `timeout after ${timeoutMs} ms` : "connection lost while reading the answer"));
          });
        },
      );
      const timer = setTimeout(() => {
        timedOut = true;
        request.destroy(new Error("timeout"));
      }, timeoutMs);
      request.once("error", (error) => {
        clearTimeout(timer);
        resolve(failed(timedOut ? `timeout after ${timeoutMs} ms` : error.message));
      });
      request.end();
    });
  }

  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}
