import { describe } from "vitest";
import { InMemoryJobProgressStore, InMemoryJobStore, InMemoryMinerHostProvider, jobProgressStoreContract, minerHostProviderContract } from "../testing/index.js";

/** The hosting fakes other tests rely on, held to the same contracts as the adapters. */
describe("in-memory hosting fakes", () => {
  jobProgressStoreContract(() => {
    const jobs = new InMemoryJobStore();
    return { jobs, progress: new InMemoryJobProgressStore(jobs) };
  });
  minerHostProviderContract("in memory", async () => {
    const provider = new InMemoryMinerHostProvider({ bootPolls: 2 });
    return {
      provider,
      spec: { models: [{ id: "stories260K", modality: "llm", pricePerUnit: "10" }] },
      reachable: async (endpoint) => provider.isLive(endpoint),
      liveHosts: async () => provider.liveHosts(),
      failNextProvision: () => provider.failNextProvision(),
      bootTimeoutMs: 1_000,
    };
  });
});

