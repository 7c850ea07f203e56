import { existsSync, readFileSync } from "node:fs";
import { DynamoApiKeyStore, createDocumentClient } from "@tensornode/aws";
import { hashApiKey, issueApiKey, randomIds, systemClock } from "@tensornode/core";

export const DEMO_OWNER_ID = "demo";

/**
 * Makes sure the local network has a demo account with a working API key, so a newcomer can call
 * the API at once. The key from the previous run (in the state file) is reused while the database
 * still knows it; otherwise a new one is issued. Only its hash is stored in DynamoDB.
 */
export async function ensureDemoApiKey(options: { dynamoEndpoint: string; tableName: string; stateFile: string }): Promise<string> {
  const client = createDocumentClient({ endpoint: options.dynamoEndpoint });
  try {
    const apiKeys = new DynamoApiKeyStore({ client, tableName: options.tableName });
    const previous = readPreviousKey(options.stateFile);
    if (previous) {
      const record = await apiKeys.findByHash(hashApiKey(previous));
      if (record?.status === "active") return previous;
    }
    const { secret } = await issueApiKey({ apiKeys, clock: systemClock, ids: randomIds }, { ownerId: DEMO_OWNER_ID, name: "local demo key" });
    return secret;
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
