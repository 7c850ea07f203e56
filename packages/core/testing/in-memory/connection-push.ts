import type { ConnectionPush } from "../../src/index.js";

export interface Delivery {
  connectionId: string;
  message: unknown;
}

/** Records deliveries. Ids in `gone` answer "gone" (API Gateway's 410) and receive nothing. */
export class RecordingConnectionPush implements ConnectionPush {
  readonly deliveries: Delivery[] = [];
  readonly gone = new Set<string>();

  async send(connectionId: string, message: unknown): Promise<"delivered" | "gone"> {
    if (this.gone.has(connectionId)) return "gone";
    this.deliveries.push({ connectionId, message: structuredClone(message) });
    return "delivered";
  }

  messagesTo(connectionId: string): unknown[] {
    return this.deliveries.filter((d) => d.connectionId === connectionId).map((d) => d.message);
  }
}
