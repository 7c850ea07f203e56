import type { MinerProbe, ProbeResult } from "../../src/index.js";

/**
 * A MinerProbe answering from a script per endpoint: each check takes the next result, and the
 * last one repeats. Endpoints without a script are healthy. Records every check.
 */
export class ScriptedMinerProbe implements MinerProbe {
  readonly checks: Array<{ endpoint: string; timeoutMs: number }> = [];
  readonly #scripts = new Map<string, ProbeResult[]>();

  script(endpoint: string, ...results: ProbeResult[]): this {
    this.#scripts.set(endpoint, results);
    return this;
  }

  async check(endpoint: string, timeoutMs: number): Promise<ProbeResult> {
    this.checks.push({ endpoint, timeoutMs });
    const script = this.#scripts.get(endpoint);
    if (!script?.length) return { ok: true, latencyMs: 5 };
    return { ...(script.length > 1 ? script.shift()! : script[0]!) };
  }
}
