import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { MinerUnreachableError, type MinerReply, type MinerRequest, type MinerStreamReply, type MinerTransport, type RequestSigner } from "@tensornode/core";
import { MinerAddressPolicy } from "./public-address-lookup.js";

/**
 * Dispatches work to miners over HTTP(S) with Node's own client: keep-alive agents (a request
 * reuses a warm connection, which is most of the gateway's added latency), every request signed
 * with the network's dispatch key so miners accept it, and a deadline per request. Refused
 * connections and timeouts become `MinerUnreachableError`, which the core fails over on.
 *
 * Unless `allowPrivateAddresses` is set (the local runtime, where miners are on 127.0.0.1), it never
 * connects to a loopback, private or link-local address, whether the endpoint names it literally
 * or through DNS: a signed request, and its reply, must not reach into the network's own side.
 */
export class HttpMinerTransport implements MinerTransport {
  readonly #http = new HttpAgent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });
  readonly #https = new HttpsAgent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });

  #signer: RequestSigner | undefined;
  #signerLoading: Promise<RequestSigner | undefined> | undefined;

  /**
   * `signer` signs with the dispatch key; `loadSigner` loads it once, on first use (in Lambda the
   * key comes from SSM). Without either, requests go unsigned (a miner started with
   * `--allow-unsigned` takes them; the reference miner refuses them by default).
   */
  constructor(private readonly options: { signer?: RequestSigner; loadSigner?: () => Promise<RequestSigner | undefined>; streamIdleMs?: number; allowPrivateAddresses?: boolean } = {}) {
    this.#signer = options.signer;
    this.#addresses = new MinerAddressPolicy(options.allowPrivateAddresses ?? false);
  }

  readonly #addresses: MinerAddressPolicy;

  async send(request: MinerRequest): Promise<MinerReply> {
    const { response, cancel, clearTimer, timedOut } = await this.#open(request);
    try {
      return { ...head(response), body: await collect(response) };
    } catch (error) {
      cancel();
      // The deadline also covers reading the body: a miner that stalls mid-reply timed out.
      if (timedOut()) throw new MinerUnreachableError(`no complete answer within ${request.timeoutMs} ms`, true);
      throw new MinerUnreachableError(`connection lost while reading the reply: ${(error as Error).message}`, false);
    } finally {
      clearTimer();
    }
  }

  async stream(request: MinerRequest): Promise<MinerStreamReply> {
    const { response, cancel, clearTimer } = await this.#open(request);
    // The deadline covers the wait for the headers; after that a stream may run as long as it
    // produces, but a miner that goes quiet for `streamIdleMs` is cut off (the stream then ends
    // with an error, which the core meters as a cut-off stream).
    clearTimer();
    const idleMs = this.options.streamIdleMs ?? 30_000;
    const idle = setTimeout(() => response.destroy(new MinerUnreachableError(`the stream went quiet for ${idleMs} ms`, true)), idleMs);
    response.on("data", () => idle.refresh());
    response.once("close", () => clearTimeout(idle));
    return { ...head(response), body: response, cancel };
  }

  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }

  async #sign(request: { method: string; path: string; body: Uint8Array }): Promise<Record<string, string>> {
    if (!this.#signer && this.options.loadSigner) this.#signer = await (this.#signerLoading ??= this.options.loadSigner());
    return this.#signer ? this.#signer(request) : {};
  }

  async #open(request: MinerRequest): Promise<{ response: IncomingMessage; cancel(): void; clearTimer(): void; timedOut(): boolean }> {
    const url = new URL(request.path.replace(/^\//, ""), request.endpoint.endsWith("/") ? request.endpoint : `${request.endpoint}/`);
    const path = `${url.pathname}${url.search}`;
    const secure = url.protocol === "https:";
    const { host, refused } = this.#addresses.target(url);
    if (refused) throw new MinerUnreachableError(refused, false);
    const headers: Record<string, string | number> = {
      "content-type": request.contentType,
      "content-length": request.body.byteLength,
      "x-request-id": request.requestId,
      ...(await this.#sign({ method: "POST", path, body: request.body })),
    };
    return new Promise((resolve, reject) => {
      const outgoing = (secure ? httpsRequest : httpRequest)({
        protocol: url.protocol,
        hostname: host,
        port: url.port,
        path,
        method: "POST",
        headers,
        agent: secure ? this.#https : this.#http,
        ...(this.#addresses.lookup && { lookup: this.#addresses.lookup }),
      });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        outgoing.destroy(new MinerUnreachableError(`no answer within ${request.timeoutMs} ms`, true));
      }, request.timeoutMs);
      const clearTimer = () => clearTimeout(timer);
      const onAbort = () => outgoing.destroy(new MinerUnreachableError("request cancelled", false));
      request.signal?.addEventListener("abort", onAbort, { once: true });
      outgoing.on("response", (response) =>
        resolve({
          response,
          cancel: () => {
            response.destroy();
            outgoing.destroy();
          },
          clearTimer,
          timedOut: () => timedOut,
        }),
      );
      outgoing.on("error", (error) => {
        clearTimer();
        request.signal?.removeEventListener("abort", onAbort);
        reject(error instanceof MinerUnreachableError ? error : new MinerUnreachableError(timedOut ? `no answer within ${request.timeoutMs} ms` : reason(error), timedOut));
      });
      outgoing.end(request.body);
    });
  }
}

/** The whole body, with plain stream events (cheaper than async iteration on the hot path). */
export function collect(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let ended = false;
    stream.on("data", (part: Buffer) => parts.push(part));
    stream.once("end", () => {
      ended = true;
      resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    });
    stream.once("error", reject);
    stream.once("aborted", () => reject(new Error("aborted")));
    // Destroyed without an error (the deadline cut it): never leave the caller waiting.
    stream.once("close", () => {
      if (!ended) reject(new Error("closed before the end of the reply"));
    });
  });
}

function head(response: IncomingMessage) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  return { status: response.statusCode ?? 502, contentType: headers["content-type"] ?? "application/octet-stream", headers };
}

const reason = (error: Error & { code?: string }) => (error.code ? `${error.code} ${error.message}` : error.message);
