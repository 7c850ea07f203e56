import { existsSync, readFileSync } from "node:fs";
import { DynamoAccountStore, DynamoApiKeyStore, createDocumentClient } from "@tensornode/aws";
import { hashApiKey, issueApiKey, randomIds, systemClock } from "@tensornode/core";

/** The demo account's id when no Hedera account is given (unit tests of this module). */
export const DEMO_OWNER_ID = "demo";

/**
 * Makes sure the local network has a demo account with a working API key, so a newcomer can call
 * the API at once. The account is the local developer's Hedera account (`ownerId`), as if the
 * developer had opened it with a signed `POST /v1/accounts`. The key from the previous run (in
 * the state file) is reused while the database still knows it for this account; otherwise a new
 * one is issued. Only its hash is stored in DynamoDB.
 */
export async function ensureDemoApiKey(options: { dynamoEndpoint: string; tableName: string; stateFile: string; ownerId?: string }): Promise<string> {
  const ownerId = options.ownerId ?? DEMO_OWNER_ID;
  const client = createDocumentClient({ endpoint: options.dynamoEndpoint });
  try {
    const table = { client, tableName: options.tableName };
    const apiKeys = new DynamoApiKeyStore(table);
    await new DynamoAccountStore(table).create({ accountId: ownerId, createdAt: systemClock.now().toISOString() });
    const previous = readPreviousKey(options.stateFile);
    if (previous) {
      const record = await apiKeys.findByHash(hashApiKey(previous));
      if (record?.status === "active" && record.ownerId === ownerId) return previous;
    }
    const { secret } = await issueApiKey({ apiKeys, clock: systemClock, ids: randomIds }, { ownerId, name: "local demo key" });
    return secret;
  } finally {
    client.destroy();
  }
}

/** The demo account's balance in tinybars (0 when it does not exist). */
export async function demoBalance(options: { dynamoEndpoint: string; tableName: string; ownerId: string }): Promise<bigint> {
  const client = createDocumentClient({ endpoint: options.dynamoEndpoint });
  try {
    return (await new DynamoAccountStore({ client, tableName: options.tableName }).get(options.ownerId))?.balanceTinybars ?? 0n;
  } finally {
    client.destroy();
  }
}

function readPreviousKey(stateFile: string): string | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    const state = JSON.parse(readFileSync(stateFile, "utf8")) as { demo?: { apiKey?: unknown } };
    return typeof state.demo?.apiKey === "string" ? state.demo.apiKey : undefined;
  } catch {
    return undefined;
  }
}
