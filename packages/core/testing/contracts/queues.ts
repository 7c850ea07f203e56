import { describe, expect, it } from "vitest";
import type { JobQueue, SettlementQueue } from "../../src/index.js";
import { uniqueEpoch, uniqueId } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;

/** A queue plus a way to consume from it, as the queue's consumer would. */
export interface QueueHarness<Q> {
  queue: Q;
  /** One receive: raw bodies of the messages available now (possibly none); they are consumed. */
  receive(): Promise<string[]>;
}

/** Receives until `enough` holds for everything received so far, or fails after `timeoutMs`. */
async function receiveUntil(receive: () => Promise<string[]>, enough: (bodies: unknown[]) => boolean, timeoutMs = 5_000): Promise<unknown[]> {
  const bodies: unknown[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!enough(bodies)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; received ${JSON.stringify(bodies)}`);
    for (const raw of await receive()) bodies.push(JSON.parse(raw));
  }
  return bodies;
}

/** What every JobQueue must do. Job ids are unique per test, so harnesses may share one queue. */
export function jobQueueContract(makeHarness: Make<QueueHarness<JobQueue>>): void {
  describe("JobQueue contract", () => {
    it("delivers an enqueued message with its body intact", async () => {
      // Prepare
      const { queue, receive } = await makeHarness();
      const message = { jobId: uniqueId("job") };
      // Act
      await queue.enqueue(message);
      // Assess
      const bodies = await receiveUntil(receive, (b) => b.some((m) => (m as { jobId: string }).jobId === message.jobId));
      expect(bodies.filter((m) => (m as { jobId: string }).jobId === message.jobId)).toEqual([message]);
    });

    it("delivers every message enqueued", async () => {
      const { queue, receive } = await makeHarness();
      const ids = Array.from({ length: 5 }, () => uniqueId("job"));
      for (const jobId of ids) await queue.enqueue({ jobId });
      const mine = (bodies: unknown[]) => bodies.map((m) => (m as { jobId: string }).jobId).filter((id) => ids.includes(id));
      const bodies = await receiveUntil(receive, (b) => new Set(mine(b)).size === ids.length);
      expect(new Set(mine(bodies))).toEqual(new Set(ids));
    });
  });
}

/** What every SettlementQueue must do: a FIFO of epochs, deduplicated by epoch. */
export function settlementQueueContract(makeHarness: Make<QueueHarness<SettlementQueue>>): void {
  describe("SettlementQueue contract", () => {
    const epochsIn = (bodies: unknown[], epochs: number[]) => bodies.map((m) => (m as { epoch: number }).epoch).filter((e) => epochs.includes(e));

    it("delivers epochs in the order they were enqueued, with the body intact", async () => {
      // Prepare
      const { queue, receive } = await makeHarness();
      const e = uniqueEpoch();
      const epochs = [e, e + 1, e + 2];
      // Act
      for (const epoch of epochs) await queue.enqueue({ epoch });
      // Assess
      const bodies = await receiveUntil(receive, (b) => epochsIn(b, epochs).length === epochs.length);
      expect(bodies.filter((m) => epochs.includes((m as { epoch: number }).epoch))).toEqual(epochs.map((epoch) => ({ epoch })));
    });

    it("drops an epoch enqueued again (a cron run that repeats itself)", async () => {
      // Prepare
      const { queue, receive } = await makeHarness();
      const e = uniqueEpoch();
      // Act
      await queue.enqueue({ epoch: e });
      await queue.enqueue({ epoch: e });
      // The FIFO delivers in order, so once the next epoch arrives a duplicate would have too.
      await queue.enqueue({ epoch: e + 1 });
      // Assess
      const bodies = await receiveUntil(receive, (b) => epochsIn(b, [e + 1]).length > 0);
      expect(epochsIn(bodies, [e, e + 1])).toEqual([e, e + 1]);
    });
  });
}
