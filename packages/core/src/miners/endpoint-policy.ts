import { isIP } from "node:net";
import { DomainError } from "../shared/errors.js";

/**
 * The network sends signed work to whatever endpoint a miner registers. In production an endpoint
 * naming a loopback, private, link-local or unspecified address would make the dispatcher call into
 * its own network (the Lambda runtime API listens on 127.0.0.1), so such endpoints are refused
 * unless the deployment allows them (the local runtime, where every miner is on 127.0.0.1).
 * Only literal addresses and `localhost` are checked; a public name that resolves to a private
 * address is not (documented in the API README).
 */
export function assertRoutableEndpoint(endpoint: string, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || isPrivateAddress(host)) {
    throw new DomainError("invalid_request", `'endpoint': ${host} is not a public address; miners must be reachable from the internet.`, "endpoint");
  }
}

export function isPrivateAddress(host: string): boolean {
  const family = isIP(host);
  if (family === 4) {
    const [a, b] = host.split(".").map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a >= 224;
  }
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped) return isPrivateAddress(mapped[1]!);
    return host === "::" || host === "::1" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith("ff");
  }
  return false;
}
