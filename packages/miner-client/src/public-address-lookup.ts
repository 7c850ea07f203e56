import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import { isPrivateAddress } from "@tensornode/core";

/** Raised (as a connection error) when a miner's host name resolves to an address the network must not call. */
export class PrivateAddressError extends Error {
  readonly code = "EPRIVATEADDRESS";
  constructor(hostname: string, address: string) {
    super(`${hostname} resolves to ${address}, which is not a public address`);
    this.name = "PrivateAddressError";
  }
}

/**
 * A DNS lookup for outbound connections that refuses any name resolving to a loopback, private,
 * link-local or unspecified address. Registration refuses such literal addresses, but a public
 * name can point anywhere, and can change after registration (DNS rebinding). Checking the
 * address the socket is about to connect to, here, is the only check that cannot be raced: the
 * connection uses exactly the address that was checked. A name with any private answer is refused.
 */
export function publicAddressLookup(resolve: typeof dnsLookup = dnsLookup): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    resolve(hostname, options, (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => {
      if (error) return callback(error, address, family);
      // With `all: true` (Node's happy-eyeballs connect asks for it) the answer is a list.
      const answers = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      const blocked = answers.find((answer) => isPrivateAddress(answer));
      if (blocked !== undefined) return callback(new PrivateAddressError(hostname, blocked), address, family);
      callback(null, address, family);
    });
  };
}

/**
 * How the transport and the probe reach a miner: unless private addresses are allowed (the local
 * runtime), names resolve through `publicAddressLookup` and literal addresses, which never go
 * through a lookup, are checked here.
 */
export class MinerAddressPolicy {
  readonly lookup: LookupFunction | undefined;

  constructor(allowPrivateAddresses: boolean) {
    this.lookup = allowPrivateAddresses ? undefined : publicAddressLookup();
  }

  /** The URL's host as `http.request` takes it (IPv6 without brackets), and why it is refused, if it is. */
  target(url: URL): { host: string; refused?: string } {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (this.lookup && isPrivateAddress(host)) return { host, refused: `${host} is not a public address` };
    return { host };
  }
}
