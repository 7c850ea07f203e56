/**
 * A fixed set of reusable resources (llama.cpp sequences): `acquire` hands out a free one or
 * waits for a `release`, first come first served.
 */
export class SlotPool<T> {
  private readonly free: T[];
  private readonly waiting: Array<(slot: T) => void> = [];

  constructor(slots: readonly T[]) {
    this.free = [...slots];
  }

  acquire(): Promise<T> {
    const slot = this.free.pop();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(slot: T): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }
}
