import { randomBytes } from "node:crypto";
import { minerHostProviderContract } from "@tensornode/core/testing";
import { resolve } from "node:path";
import { LocalHostProvider } from "../src/local-host-provider.js";

/** Real reference-miner processes on 127.0.0.1, held to the host-provider contract. */
const rootDir = resolve(import.meta.dirname, "../../..");

minerHostProviderContract(
  "local miner processes",
  async () => {
    const provider = new LocalHostProvider({ rootDir, dispatch: { accountId: "0.0.1234", publicKeyHex: randomBytes(32).toString("hex") } });
    return {
      provider,
      spec: { models: [{ id: "stories260K", modality: "llm", pricePerUnit: "13" }] },
      reachable: async (endpoint) => {
        if (!endpoint.startsWith("http://127.0.0.1:")) return false;
        return (await fetch(`${endpoint}/health`)).ok;
      },
      liveHosts: async () => provider.liveHostIds(),
      failNextProvision: () => {
        provider.nodePath = resolve(rootDir, "no-such-node-binary");
      },
      bootTimeoutMs: 90_000,
      close: async () => {
        for (const id of provider.liveHostIds()) await provider.destroy(id);
      },
    };
  },
  { timeoutMs: 120_000 },
);
