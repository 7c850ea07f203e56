import { TtlCache } from "../shared/ttl-cache.js";
import type { Clock } from "../ports/clock.js";
import type { MinerDirectory } from "../ports/miners.js";
import { availabilityOf, type MinerModel, type MinerRecord, type Modality } from "../miners/miner.js";

/** One miner that can serve a model, with what it charges for it. */
export interface Candidate {
  minerId: string;
  endpoint: string;
  model: MinerModel;
  pricePerUnit: bigint;
}

/** A model as `GET /v1/models` lists it: what serves it, at what price. */
export interface ModelSummary {
  id: string;
  modality: Modality;
  miners: number;
  minPricePerUnit: bigint;
  maxPricePerUnit: bigint;
  contextLength?: number;
  /** The longest completion any miner serving the model generates (absent when one of them does not say). */
  maxCompletionTokens?: number;
}

/** Passive health: after this many failed dispatches in a row a miner rests for `COOL_DOWN_MS`. */
const FAILURES_BEFORE_COOL_DOWN = 3;
const COOL_DOWN_MS = 10_000;

/**
 * Weights of the routing score (lower is better). Price and latency are relative to the best
 * candidate, so a miner twice as expensive costs as much as one twice as slow counts for half.
 * Each request already running on a miner (from this instance) weighs like a 50% price premium,
 * which spreads concurrent load; probe failures (in a row, and the share of all probes missed)
 * weigh heavily so a shaky miner is a last resort.
 */
const WEIGHTS = { price: 1, latency: 0.5, load: 0.5, unreliability: 2 } as const;

interface LiveStats {
  inFlight: number;
  consecutiveFailures: number;
  coolingUntil: number;
  /** Exponentially weighted latency of recent dispatches (ms). */
  latencyMs?: number;
}

/**
 * The routing table: registered, healthy miners by model, read from the miner directory through a
 * short cache (the hot path makes no store call), plus what this instance sees of each miner right
 * now (requests in flight, recent failures and latency). Miners the health-probe cron marked
 * unhealthy are out until a probe sees them recover.
 */
export class RoutingTable {
  readonly #cache: TtlCache<"miners", MinerRecord[]>;
  readonly #stats = new Map<string, LiveStats>();

  constructor(private readonly deps: { miners: MinerDirectory; clock: Clock }, options: { ttlMs?: number } = {}) {
    this.#cache = new TtlCache({ ttlMs: options.ttlMs ?? 5_000, clock: deps.clock });
  }

  async #miners(): Promise<MinerRecord[]> {
    return this.#cache.get("miners", () => this.deps.miners.list());
  }

  /** Drop the cached directory (a miner registered or left through this instance). */
  refresh(): void {
    this.#cache.clear();
  }

  /** Whether any registered miner (healthy or not) has ever offered this model. */
  async knows(model: string): Promise<boolean> {
    return (await this.#miners()).some((miner) => miner.models?.some((m) => m.id === model));
  }

  /** Every miner that can serve `model` now, best first: the order failover tries them in. */
  async candidates(model: string): Promise<Candidate[]> {
    const now = this.deps.clock.now().getTime();
    const eligible: Array<Candidate & { record: MinerRecord }> = [];
    for (const miner of await this.#miners()) {
      if (miner.health && !miner.health.healthy) continue;
      const offered = miner.models?.find((m) => m.id === model);
      if (!offered) continue;
      if ((this.#stats.get(miner.minerId)?.coolingUntil ?? 0) > now) continue;
      eligible.push({ minerId: miner.minerId, endpoint: miner.endpoint, model: offered, pricePerUnit: BigInt(offered.pricePerUnit), record: miner });
    }
    if (eligible.length <= 1) return eligible.map(({ record: _record, ...candidate }) => candidate);

    const latencyOf = (c: (typeof eligible)[number]) => this.#stats.get(c.minerId)?.latencyMs ?? c.record.health?.latencyMs ?? 50;
    const minPrice = Math.max(1, Math.min(...eligible.map((c) => Number(c.pricePerUnit))));
    const minLatency = Math.max(1, Math.min(...eligible.map(latencyOf)));
    const score = (c: (typeof eligible)[number]) => {
      const stats = this.#stats.get(c.minerId);
      const failures = (c.record.health?.consecutiveFailures ?? 0) + (stats?.consecutiveFailures ?? 0);
      return (
        WEIGHTS.price * (Number(c.pricePerUnit) / minPrice) +
        WEIGHTS.latency * (latencyOf(c) / minLatency) +
        WEIGHTS.load * (stats?.inFlight ?? 0) +
        WEIGHTS.unreliability * (failures + (1 - availabilityOf(c.record.health)))
      );
    };
    return eligible
      .map((c) => ({ c, s: score(c) }))
      .sort((a, b) => a.s - b.s || a.c.minerId.localeCompare(b.c.minerId))
      .map(({ c: { record: _record, ...candidate } }) => candidate);
  }

  /** The catalogue of models healthy miners serve right now. */
  async models(): Promise<ModelSummary[]> {
    const byId = new Map<string, ModelSummary>();
    for (const miner of await this.#miners()) {
      if (miner.health && !miner.health.healthy) continue;
      for (const model of miner.models ?? []) {
        const price = BigInt(model.pricePerUnit);
        const summary = byId.get(model.id);
        if (!summary) {
          byId.set(model.id, {
            id: model.id,
            modality: model.modality,
            miners: 1,
            minPricePerUnit: price,
            maxPricePerUnit: price,
            ...(model.contextLength && { contextLength: model.contextLength }),
            ...(model.maxCompletionTokens && { maxCompletionTokens: model.maxCompletionTokens }),
          });
        } else {
          summary.miners++;
          if (!model.maxCompletionTokens || summary.maxCompletionTokens === undefined) delete summary.maxCompletionTokens;
          else if (model.maxCompletionTokens > summary.maxCompletionTokens) summary.maxCompletionTokens = model.maxCompletionTokens;
          if (price < summary.minPricePerUnit) summary.minPricePerUnit = price;
          if (price > summary.maxPricePerUnit) summary.maxPricePerUnit = price;
        }
      }
    }
    return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** A dispatch to the miner starts (counts toward its load). */
  started(minerId: string): void {
    this.#statsOf(minerId).inFlight++;
  }

  /** A dispatch ended; failures in a row send the miner into a short cool-down. */
  finished(minerId: string, outcome: { ok: boolean; latencyMs: number }): void {
    const stats = this.#statsOf(minerId);
    stats.inFlight = Math.max(0, stats.inFlight - 1);
    if (outcome.ok) {
      stats.consecutiveFailures = 0;
      stats.latencyMs = stats.latencyMs === undefined ? outcome.latencyMs : stats.latencyMs * 0.8 + outcome.latencyMs * 0.2;
    } else if (++stats.consecutiveFailures >= FAILURES_BEFORE_COOL_DOWN) {
      stats.coolingUntil = this.deps.clock.now().getTime() + COOL_DOWN_MS;
      stats.consecutiveFailures = 0;
    }
  }

  #statsOf(minerId: string): LiveStats {
    let stats = this.#stats.get(minerId);
    if (!stats) this.#stats.set(minerId, (stats = { inFlight: 0, consecutiveFailures: 0, coolingUntil: 0 }));
    return stats;
  }
}
