import { BlockList, isIP } from "node:net";
import { DomainError } from "../shared/errors.js";

/**
 * The network sends signed work to whatever endpoint a miner registers. In production an endpoint
 * naming a loopback, private, link-local or unspecified address would make the dispatcher call into
 * its own network (the Lambda runtime API listens on 127.0.0.1), so such endpoints are refused
 * unless the deployment allows them (the local runtime, where every miner is on 127.0.0.1).
 * Registration checks literal addresses and `localhost`; a name that resolves to a private address
 * is refused where it cannot be raced, when the dispatcher connects (`publicAddressLookup` in
 * @tensornode/miner-client).
 */
export function assertRoutableEndpoint(endpoint: string, allowPrivate: boolean): void {
  if (allowPrivate) return;
  const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || isPrivateAddress(host)) {
    throw new DomainError("invalid_request", `'endpoint': ${host} is not a public address; miners must be reachable from the internet.`, "endpoint");
  }
}

/**
 * Addresses the network must never call: IANA special-purpose ranges that lead into a private
 * network or the host itself. `BlockList` also matches IPv4 rules against IPv4-mapped IPv6
 * addresses in any spelling (`::ffff:127.0.0.1`, and `::ffff:7f00:1`, which is how `URL` writes it).
 */
const NOT_PUBLIC = (() => {
  const list = new BlockList();
  for (const [network, prefix] of [
    ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
    ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 3],
  ] as const) list.addSubnet(network, prefix, "ipv4");
  // Unspecified and loopback, IPv4-compatible (deprecated, ::a.b.c.d), unique local, link-local, site-local, multicast,
  // and the IPv4 transition prefixes (NAT64, local-use NAT64, SIIT, 6to4), which embed an IPv4 address a gateway
  // would then reach: miners register native addresses, so these are refused outright.
  for (const [network, prefix] of [
    ["::", 127], ["::", 96], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8],
    ["64:ff9b::", 96], ["64:ff9b:1::", 48], ["::ffff:0:0:0", 96], ["2002::", 16],
  ] as const) list.addSubnet(network, prefix, "ipv6");
  return list;
})();

export function isPrivateAddress(host: string): boolean {
  const family = isIP(host);
  if (family === 0) return false;
  return NOT_PUBLIC.check(host, family === 4 ? "ipv4" : "ipv6");
}
