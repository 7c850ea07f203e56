import type { Clock, IdGenerator } from "../../src/index.js";

/** A clock that stands still until a test moves it, so timestamps in assertions are exact. */
export class FixedClock implements Clock {
  #now: number;

  constructor(at: Date | string = "2030-01-01T00:00:00.000Z") {
    this.#now = new Date(at).getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  set(at: Date | string): void {
    this.#now = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

/** Ids `<prefix>0001`, `<prefix>0002`, … in order, so tests can predict them. */
export class SequentialIds implements IdGenerator {
  #count = 0;

  constructor(private readonly prefix = "id") {}

  next(): string {
    this.#count += 1;
    return `${this.prefix}${String(this.#count).padStart(4, "0")}`;
  }
}
