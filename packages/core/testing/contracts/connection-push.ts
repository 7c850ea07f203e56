import { describe, expect, it } from "vitest";
import type { ConnectionPush } from "../../src/index.js";

type Make<T> = () => Promise<T> | T;

/** A client connected the way real clients are (a WebSocket through the gateway, for the AWS adapter). */
export interface PushClient {
  connectionId: string;
  /** The next message the client receives, parsed from JSON; rejects if none arrives in time. */
  nextMessage(): Promise<unknown>;
  /** Disconnects and resolves once the server side knows. */
  close(): Promise<void>;
}

export interface PushHarness {
  push: ConnectionPush;
  connect(): Promise<PushClient>;
}

/** What every ConnectionPush must do: deliver to connected clients, report disconnected ones as gone. */
export function connectionPushContract(makeHarness: Make<PushHarness>): void {
  describe("ConnectionPush contract", () => {
    it("delivers a JSON message to a connected client", async () => {
      // Prepare
      const { push, connect } = await makeHarness();
      const client = await connect();
      const message = { type: "job.updated", job: { id: "job_1", result: { text: "héllo ✓", list: [1, null] } } };
      try {
        // Act
        const delivery = await push.send(client.connectionId, message);
        // Assess
        expect(delivery).toBe("delivered");
        expect(await client.nextMessage()).toEqual(message);
      } finally {
        await client.close();
      }
    });

    it("delivers each message to its own client only", async () => {
      const { push, connect } = await makeHarness();
      const [a, b] = [await connect(), await connect()];
      try {
        await push.send(a.connectionId, { to: "a" });
        await push.send(b.connectionId, { to: "b" });
        expect(await a.nextMessage()).toEqual({ to: "a" });
        expect(await b.nextMessage()).toEqual({ to: "b" });
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it("answers gone, without throwing, for a client that disconnected", async () => {
      const { push, connect } = await makeHarness();
      const client = await connect();
      await client.close();
      expect(await push.send(client.connectionId, { type: "late" })).toBe("gone");
    });
  });
}
