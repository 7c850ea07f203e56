/** Time and identity come in through ports so use cases are deterministic under test. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new unique, URL-safe id. */
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };
