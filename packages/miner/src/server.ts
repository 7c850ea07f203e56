import { serve } from "@hono/node-server";
import type { Logger } from "@tensornode/core";
import { createMinerApp, type MinerAppOptions } from "./app.js";
import { resolveConfig, type MinerConfigInput } from "./config.js";
import { createEngines } from "./engines/create-engines.js";
import { closeEngines, loadEngines, type EngineRegistry } from "./engines/registry.js";

export interface StartMinerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  config?: MinerConfigInput;
  authorize?: MinerAppOptions["authorize"];
  logger?: Logger;
  /** Already loaded engines (tests share one load); otherwise they are created from `config` and loaded in parallel. */
  engines?: EngineRegistry;
}

export interface RunningMiner {
  url: string;
  port: number;
  engines: EngineRegistry;
  /** Stops the server; unloads the engines only if this call loaded them. */
  close: () => Promise<void>;
}

/** Loads the engines (all at once), then serves the miner on @hono/node-server (127.0.0.1 by default). */
export async function startMiner(options: StartMinerOptions): Promise<RunningMiner> {
  const config = resolveConfig(options.config);
  const host = options.host ?? "127.0.0.1";
  const owned = !options.engines;
  const engines = options.engines ?? (await loadEngines(createEngines(config), options.logger));
  const app = createMinerApp({ engines, config, ...(options.authorize && { authorize: options.authorize }), ...(options.logger && { logger: options.logger }) });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: host }, (info) =>
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        engines,
        close: async () => {
          await new Promise<void>((done) => server.close(() => done()));
          if (owned) await closeEngines(engines);
        },
      }),
    );
    server.once("error", reject);
  });
}
