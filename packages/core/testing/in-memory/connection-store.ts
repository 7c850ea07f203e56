import type { Connection, ConnectionStore } from "../../src/index.js";

/**
 * ConnectionStore in memory. Like the table, subscriptions are independent items: subscribing
 * does not require the connection or the job to exist, and `subscribers` lists ids in key order.
 */
export class InMemoryConnectionStore implements ConnectionStore {
  readonly #connections = new Map<string, Connection>();
  /** jobId → connectionId → subscribedAt */
  readonly #subscriptions = new Map<string, Map<string, string>>();

  async save(connection: Connection): Promise<void> {
    this.#connections.set(connection.connectionId, { ...connection });
  }

  async get(connectionId: string): Promise<Connection | null> {
    const connection = this.#connections.get(connectionId);
    return connection ? { ...connection } : null;
  }

  async remove(connectionId: string): Promise<void> {
    this.#connections.delete(connectionId);
    for (const subscribers of this.#subscriptions.values()) subscribers.delete(connectionId);
  }

  async subscribe(connectionId: string, jobId: string, at: Date): Promise<void> {
    const subscribers = this.#subscriptions.get(jobId) ?? new Map<string, string>();
    subscribers.set(connectionId, at.toISOString());
    this.#subscriptions.set(jobId, subscribers);
  }

  async unsubscribe(connectionId: string, jobId: string): Promise<void> {
    this.#subscriptions.get(jobId)?.delete(connectionId);
  }

  async subscribers(jobId: string): Promise<string[]> {
    return [...(this.#subscriptions.get(jobId)?.keys() ?? [])].sort();
  }
}
