/** A live WebSocket client, authenticated when it connected. */
export interface Connection {
  connectionId: string;
  ownerId: string;
  connectedAt: string;
  /** The hash of the API key the connection opened with: streamed requests are charged to it. */
  keyHash?: string;
}

/** WebSocket connections and their job subscriptions (DynamoDB). */
export interface ConnectionStore {
  save(connection: Connection): Promise<void>;
  get(connectionId: string): Promise<Connection | null>;
  /** Removes the connection and every subscription it holds. */
  remove(connectionId: string): Promise<void>;
  subscribe(connectionId: string, jobId: string, at: Date): Promise<void>;
  unsubscribe(connectionId: string, jobId: string): Promise<void>;
  subscribers(jobId: string): Promise<string[]>;
}

/** Sends a message to one WebSocket client (API Gateway Management API). */
export interface ConnectionPush {
  /** `gone` when the client has disconnected (API Gateway answers 410). */
  send(connectionId: string, message: unknown): Promise<"delivered" | "gone">;
}
