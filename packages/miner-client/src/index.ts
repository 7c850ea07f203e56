/** @module @tensornode/miner-client Outbound HTTP calls from the network to miners. */
export { HttpMinerProbe } from "./http-miner-probe.js";
export { HttpMinerTransport } from "./http-miner-transport.js";
export { MinerAddressPolicy, PrivateAddressError, publicAddressLookup } from "./public-address-lookup.js";
