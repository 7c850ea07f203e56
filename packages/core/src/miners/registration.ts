import { z } from "zod";
import { DomainError } from "../shared/errors.js";
import { parseInput } from "../shared/validation.js";
import type { Clock } from "../ports/clock.js";
import type { MinerDirectory } from "../ports/miners.js";
import type { MinerRecord } from "./miner.js";

const MODALITIES = ["llm", "embeddings", "stt", "tts", "translation", "vision"] as const;

/** What a miner sends to register; who it is comes from the request's Hedera signature, never the body. */
export const minerRegistrationSchema = z.strictObject({
  endpoint: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
    .max(512),
  models: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:/-]+$/, "letters, digits and . _ : / - only"),
        modality: z.enum(MODALITIES),
        /** Integer tinybars per unit, as a string so large prices stay exact. */
        pricePerUnit: z.string().regex(/^\d{1,18}$/, "must be a whole number of tinybars"),
      }),
    )
    .min(1)
    .max(32),
});

/** Registers (or re-registers) the signing account as a miner. */
export async function registerMiner(deps: { miners: MinerDirectory; clock: Clock }, minerId: string, body: unknown): Promise<MinerRecord> {
  const registration = parseInput(minerRegistrationSchema, body);
  const now = deps.clock.now().toISOString();
  const miner: MinerRecord = { minerId, endpoint: registration.endpoint, models: registration.models, registeredAt: now, lastHeartbeatAt: now };
  await deps.miners.put(miner);
  return miner;
}

/** A signed heartbeat: the miner is alive and still serving its registration. */
export async function minerHeartbeat(deps: { miners: MinerDirectory; clock: Clock }, minerId: string): Promise<MinerRecord> {
  if (!(await deps.miners.touch(minerId, deps.clock.now()))) throw new DomainError("not_found", `Account ${minerId} is not a registered miner.`);
  return (await deps.miners.get(minerId))!;
}

export async function deregisterMiner(deps: { miners: MinerDirectory }, minerId: string): Promise<void> {
  if (!(await deps.miners.get(minerId))) throw new DomainError("not_found", `Account ${minerId} is not a registered miner.`);
  await deps.miners.remove(minerId);
}

/** The public view of a miner (no health internals beyond whether it is routable). */
export function publicMiner(miner: MinerRecord) {
  return {
    object: "miner" as const,
    id: miner.minerId,
    endpoint: miner.endpoint,
    models: miner.models ?? [],
    registered_at: miner.registeredAt ?? null,
    last_heartbeat_at: miner.lastHeartbeatAt ?? null,
    healthy: miner.health ? miner.health.healthy : null,
  };
}
