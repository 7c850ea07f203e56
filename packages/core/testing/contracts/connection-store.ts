import { describe, expect, it } from "vitest";
import type { ConnectionStore } from "../../src/index.js";
import { aConnection, uniqueId } from "../fixtures.js";

type Make<T> = () => Promise<T> | T;
const AT = new Date("2030-01-01T00:00:00.000Z");

/** What every ConnectionStore must do. Ids are unique per test, so stores may share one table. */
export function connectionStoreContract(makeStore: Make<ConnectionStore>): void {
  describe("ConnectionStore contract", () => {
    it("returns a saved connection, and null for an unknown one", async () => {
      const store = await makeStore();
      const connection = aConnection();
      await store.save(connection);
      expect(await store.get(connection.connectionId)).toEqual(connection);
      expect(await store.get(uniqueId("conn"))).toBeNull();
    });

    it("lists every connection subscribed to a job, each once", async () => {
      // Prepare
      const store = await makeStore();
      const jobId = uniqueId("job");
      const [a, b] = [uniqueId("conn"), uniqueId("conn")];
      // Act
      await store.subscribe(a, jobId, AT);
      await store.subscribe(b, jobId, AT);
      await store.subscribe(a, jobId, AT);
      // Assess
      expect((await store.subscribers(jobId)).sort()).toEqual([a, b].sort());
    });

    it("has no subscribers for a job nobody subscribed to", async () => {
      const store = await makeStore();
      expect(await store.subscribers(uniqueId("job"))).toEqual([]);
    });

    it("unsubscribes one connection from one job only", async () => {
      // Prepare
      const store = await makeStore();
      const [job1, job2] = [uniqueId("job"), uniqueId("job")];
      const [a, b] = [uniqueId("conn"), uniqueId("conn")];
      await store.subscribe(a, job1, AT);
      await store.subscribe(b, job1, AT);
      await store.subscribe(a, job2, AT);
      // Act
      await store.unsubscribe(a, job1);
      // Assess
      expect(await store.subscribers(job1)).toEqual([b]);
      expect(await store.subscribers(job2)).toEqual([a]);
    });

    it("ignores unsubscribing what was never subscribed", async () => {
      const store = await makeStore();
      await expect(store.unsubscribe(uniqueId("conn"), uniqueId("job"))).resolves.toBeUndefined();
    });

    it("removes a connection with all its subscriptions and nobody else's", async () => {
      // Prepare
      const store = await makeStore();
      const leaving = aConnection();
      const staying = aConnection();
      await store.save(leaving);
      await store.save(staying);
      // More than one BatchWriteItem (25 requests) worth of subscriptions.
      const jobs = Array.from({ length: 30 }, () => uniqueId("job"));
      for (const jobId of jobs) await store.subscribe(leaving.connectionId, jobId, AT);
      await store.subscribe(staying.connectionId, jobs[0]!, AT);
      // Act
      await store.remove(leaving.connectionId);
      // Assess
      expect(await store.get(leaving.connectionId)).toBeNull();
      expect(await store.get(staying.connectionId)).toEqual(staying);
      expect(await store.subscribers(jobs[0]!)).toEqual([staying.connectionId]);
      for (const jobId of jobs.slice(1)) expect(await store.subscribers(jobId)).toEqual([]);
    });

    it("ignores removing an unknown connection", async () => {
      const store = await makeStore();
      await expect(store.remove(uniqueId("conn"))).resolves.toBeUndefined();
    });
  });
}
