import type { MinerProbe, ProbeResult } from "@tensornode/core";

/**
 * Probes a miner with `GET <endpoint>/health` using Node's built-in fetch. Any 2xx within the
 * timeout is healthy; everything else (refused, timeout, 5xx) is a failed probe, never an exception.
 */
export class HttpMinerProbe implements MinerProbe {
  async check(endpoint: string, timeoutMs: number): Promise<ProbeResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await fetch(new URL("health", endpoint.endsWith("/") ? endpoint : `${endpoint}/`), {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: "application/json" },
      });
      await response.arrayBuffer(); // drain, so the connection is reusable
      return response.ok ? { ok: true, latencyMs: elapsed() } : { ok: false, latencyMs: elapsed(), error: `HTTP ${response.status}` };
    } catch (error) {
      const reason = (error as Error).name === "TimeoutError" ? `timeout after ${timeoutMs} ms` : ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
      return { ok: false, latencyMs: elapsed(), error: reason };
    }
  }
}
