import { PrivateKey } from "@hashgraph/sdk";
import { registrationModelsOf, signRequest, type ListedMinerModel } from "@tensornode/core";
import type { LocalLog } from "./log.js";

interface KeyedAccount {
  accountId: string;
  privateKey: string;
}

/**
 * The local miners charge the reference miner's default prices times these factors (in percent),
 * so routing by price has something to choose.
 */
export const LOCAL_MINER_PRICE_PERCENT = [100, 120, 150] as const;

const MODALITIES = ["llm", "embeddings", "stt", "tts", "translation", "vision"] as const;

/** A miner's check that work comes signed by the network's dispatch account (for miners started outside `startLocalMiners`, too). */
export async function dispatchAuthorizerFor(dispatcher: KeyedAccount) {
  const { dispatchAuthorizer } = await import("@tensornode/miner");
  const key = PrivateKey.fromStringDer(dispatcher.privateKey).publicKey;
  return dispatchAuthorizer({ accountId: dispatcher.accountId, publicKey: { type: "ED25519", hex: Buffer.from(key.toBytesRaw()).toString("hex") } });
}

/**
 * Runs the local network's reference miners on 127.0.0.1: each loads the real engines (sharing one
 * load), accepts only work signed by the network's dispatch account, and registers itself with the
 * API through a request signed with its own Hedera key, exactly as a remote miner would.
 */
export async function startLocalMiners(options: {
  accounts: KeyedAccount[];
  dispatcher: KeyedAccount;
  apiUrl: string;
  ports: number[];
  log: LocalLog;
}): Promise<{ urls: string[]; close(): Promise<void> }> {
  // Loaded on demand: the engines (node-llama-cpp) stay out of networks started without miners.
  const { loadEngines, createEngines, resolveConfig, startMiner, closeEngines, DEFAULT_CONFIG } = await import("@tensornode/miner");
  const authorize = await dispatchAuthorizerFor(options.dispatcher);
  const engines = await loadEngines(createEngines(resolveConfig({})));
  const miners: Array<{ url: string; close(): Promise<void> }> = [];
  try {
    for (const [index, account] of options.accounts.entries()) {
      const percent = BigInt(LOCAL_MINER_PRICE_PERCENT[index % LOCAL_MINER_PRICE_PERCENT.length]!);
      const config = Object.fromEntries(
        MODALITIES.map((modality) => {
          const { price } = DEFAULT_CONFIG[modality];
          return [modality, { price: { ...price, tinybarsPerUnit: ((BigInt(price.tinybarsPerUnit) * percent) / 100n).toString() } }];
        }),
      );
      const miner = await startMiner({ port: options.ports[index] ?? 0, config, engines, authorize });
      miners.push(miner);
      const models = ((await (await fetch(`${miner.url}/v1/models`)).json()) as { data: ListedMinerModel[] }).data;
      const body = JSON.stringify({ endpoint: miner.url, models: registrationModelsOf(models) });
      const response = await fetch(`${options.apiUrl}/v1/miners`, {
        method: "POST",
        headers: { ...signRequest({ method: "POST", path: "/v1/miners", body }, account.accountId, account.privateKey), "content-type": "application/json" },
        body,
      });
      if (response.status !== 201) throw new Error(`miner ${account.accountId} could not register: HTTP ${response.status} ${await response.text()}`);
      options.log("miners", "local miner registered", { minerId: account.accountId, url: miner.url, models: models.map((m) => m.id), pricePercent: Number(percent) });
    }
  } catch (error) {
    for (const miner of miners) await miner.close();
    await closeEngines(engines);
    throw error;
  }
  return {
    urls: miners.map((m) => m.url),
    async close() {
      for (const miner of miners) await miner.close();
      await closeEngines(engines);
    },
  };
}
