import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { MinerProbe, ProbeResult } from "@tensornode/core";
import { MinerAddressPolicy } from "./public-address-lookup.js";

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
  readonly #addresses: MinerAddressPolicy;

  constructor(options: { allowPrivateAddresses?: boolean } = {}) {
    this.#addresses = new MinerAddressPolicy(options.allowPrivateAddresses ?? false);
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
    const { host, refused } = this.#addresses.target(url);
    if (refused) return Promise.resolve(failed(refused));
    const secure = url.protocol === "https:";
    return new Promise((resolve) => {
      let timedOut = false;
      const request = (secure ? httpsRequest : httpRequest)(
        { protocol: url.protocol, hostname: host, port: url.port, path: `${url.pathname}${url.search}`, method: "GET", headers: { accept: "application/json" }, agent: secure ? this.#https : this.#http, ...(this.#addresses.lookup && { lookup: this.#addresses.lookup }) },
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
}
