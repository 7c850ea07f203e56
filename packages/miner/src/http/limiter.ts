import { HttpError } from "./errors.js";

/**
 * Admission control for one engine: at most `concurrency` requests run, at most `maxQueue` wait
 * (first come, first served); one more is refused at once with 429 and `Retry-After`.
 * `acquire` resolves to a release function that must be called exactly once.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly name: string,
    private readonly concurrency: number,
    private readonly maxQueue: number,
    private readonly retryAfterSeconds: number,
  ) {}

  get stats(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.length };
  }

  async acquire(): Promise<() => void> {
    if (this.active < this.concurrency) {
      this.active++;
    } else if (this.waiting.length < this.maxQueue) {
      // The slot is handed over by `release`, so `active` stays counted.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      throw new HttpError(429, `The ${this.name} engine is busy (${this.concurrency} running, ${this.maxQueue} waiting); retry later.`, "engine_saturated", null, {
        "retry-after": String(this.retryAfterSeconds),
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}
