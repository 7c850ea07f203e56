/** Shared by the benchmarks: bounded load loops, alternating A/B comparison, formatting. */

export interface LoadResult {
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
export const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

/** Runs `total` calls of `once` with `concurrency` in flight; returns latency percentiles and rate. */
export async function load(once: () => Promise<void>, total: number, concurrency: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t0 = performance.now();
        await once();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1)!, perSecond: total / seconds };
}

/**
 * Measures paths in alternating rounds (A B C A B C ...), so warm-up and background noise (the
 * JVM under DynamoDB Local warms up for a while) fall on every side alike.
 */
export async function compareAll<K extends string>(paths: Record<K, () => Promise<void>>, total: number, concurrency: number, rounds = 4): Promise<Record<K, LoadResult>> {
  const samples = Object.fromEntries(Object.keys(paths).map((k) => [k, [] as LoadResult[]])) as Record<K, LoadResult[]>;
  for (let round = 0; round < rounds; round++) {
    for (const key of Object.keys(paths) as K[]) samples[key].push(await load(paths[key], Math.ceil(total / rounds), concurrency));
  }
  const merge = (list: LoadResult[]): LoadResult => ({
    p50: median(list.map((r) => r.p50)),
    p99: Math.max(...list.map((r) => r.p99)),
    max: Math.max(...list.map((r) => r.max)),
    perSecond: median(list.map((r) => r.perSecond)),
  });
  return Object.fromEntries((Object.keys(paths) as K[]).map((k) => [k, merge(samples[k])])) as Record<K, LoadResult>;
}

export async function compare(a: () => Promise<void>, b: () => Promise<void>, total: number, concurrency: number, rounds = 4) {
  return compareAll({ a, b }, total, concurrency, rounds);
}

export const fmt = (r: LoadResult) => `p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  max ${r.max.toFixed(0)} ms  ${r.perSecond.toFixed(0)} req/s`;
