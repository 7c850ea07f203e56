import { randomUUID } from "node:crypto";
import type { ApiKeyRecord, Connection, Job, MinerRecord, ScoreSubmission } from "../src/index.js";

/**
 * Object mothers: valid domain objects with overridable fields. Ids are random so contract
 * suites can share one table between tests, files and runs.
 */
export const uniqueId = (prefix: string): string => `${prefix}_${randomUUID().replaceAll("-", "")}`;

/** A random epoch number far from real ones, so tests sharing a table never meet. */
export const uniqueEpoch = (): number => 1_000_000 + Math.floor(Math.random() * 1_000_000_000);

/** A random Hedera-style account id (`0.0.N`). */
export const uniqueAccountId = (): string => `0.0.${1_000_000 + Math.floor(Math.random() * 1_000_000_000)}`;

export function aJob(overrides: Partial<Job> = {}): Job {
  const at = "2030-01-01T00:00:00.000Z";
  return {
    id: uniqueId("job"),
    ownerId: uniqueId("owner"),
    kind: "canary",
    input: { message: "hello" },
    status: "queued",
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function aConnection(overrides: Partial<Connection> = {}): Connection {
  return { connectionId: uniqueId("conn"), ownerId: uniqueId("owner"), connectedAt: "2030-01-01T00:00:00.000Z", ...overrides };
}

export function anApiKeyRecord(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    keyHash: randomUUID().replaceAll("-", "").repeat(2),
    keyId: uniqueId("key"),
    ownerId: uniqueId("owner"),
    name: "test key",
    hint: "tn_abcd",
    status: "active",
    createdAt: "2030-01-01T00:00:00.000Z",
    ...overrides,
  };
}

export function aScore(overrides: Partial<ScoreSubmission> = {}): ScoreSubmission {
  return {
    epoch: uniqueEpoch(),
    validatorId: uniqueAccountId(),
    minerId: uniqueAccountId(),
    quality: 0.5,
    latencyMs: 120,
    available: true,
    submittedAt: "2030-01-01T00:00:00.000Z",
    ...overrides,
  };
}

export function aMiner(overrides: Partial<MinerRecord> = {}): MinerRecord {
  return { minerId: uniqueAccountId(), endpoint: "http://127.0.0.1:9/miner", ...overrides };
}

/** A promise with its resolve and reject, for a test that settles it by hand (holding a load or a run open). */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
