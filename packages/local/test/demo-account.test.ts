import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { DynamoApiKeyStore, createDocumentClient } from "@tensornode/aws";
import { generateApiKeySecret, hashApiKey, looksLikeApiKey } from "@tensornode/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_OWNER_ID, ensureDemoApiKey } from "../src/demo-account.js";
import { ensureTable, startDynamoDbLocal, type DynamoDbLocal } from "../src/dynamodb-local.js";
import { quietLog } from "../src/log.js";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
let dynamo: DynamoDbLocal;
let stateDir: string;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({ port: 0, log: quietLog });
  stateDir = mkdtempSync(join(tmpdir(), "demo-account-test-"));
});

afterAll(async () => {
  await dynamo?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

/** Every test gets its own table (cheap in DynamoDB Local) and state file path. */
async function freshSetup() {
  const tableName = `demo-${randomUUID()}`;
  await ensureTable(dynamo.endpoint, tableName);
  const stateFile = join(stateDir, `${randomUUID()}.json`);
  return { tableName, stateFile, options: { dynamoEndpoint: dynamo.endpoint, tableName, stateFile } };
}

const writeState = (stateFile: string, content: string) => writeFileSync(stateFile, content);
const stateWithKey = (apiKey: string) => JSON.stringify({ startedAt: new Date().toISOString(), demo: { ownerId: DEMO_OWNER_ID, apiKey } });

/** The whole table: its item count and its items as raw DynamoDB JSON text. */
async function scanTable(tableName: string): Promise<{ count: number; text: string }> {
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: "us-east-1", credentials });
  try {
    const { Items = [] } = await client.send(new ScanCommand({ TableName: tableName }));
    return { count: Items.length, text: JSON.stringify(Items) };
  } finally {
    client.destroy();
  }
}

async function findKey(tableName: string, secret: string) {
  const client = createDocumentClient({ endpoint: dynamo.endpoint, region: "us-east-1", credentials });
  try {
    return await new DynamoApiKeyStore({ client, tableName }).findByHash(hashApiKey(secret));
  } finally {
    client.destroy();
  }
}

describe("ensureDemoApiKey", () => {
  it("issues a demo key on first run and stores only its SHA-256 hash", async () => {
    // Prepare
    const { tableName, options } = await freshSetup();

    // Act
    const secret = await ensureDemoApiKey(options);

    // Assess
    expect(looksLikeApiKey(secret)).toBe(true);
    await expect(findKey(tableName, secret)).resolves.toMatchObject({ ownerId: DEMO_OWNER_ID, status: "active", name: "local demo key" });
    const table = await scanTable(tableName);
    expect(table.count).toBe(2); // the account and its key
    expect(table.text).toContain(`ACCOUNT#${DEMO_OWNER_ID}`);
    expect(table.text).toContain(hashApiKey(secret));
    expect(table.text).not.toContain(secret);
    // Not even without its `tn_` prefix (the stored hint is only the first 7 characters).
    expect(table.text).not.toContain(secret.slice(3));
  });

  it("returns the key from the state file while the database still knows it", async () => {
    // Prepare
    const { tableName, stateFile, options } = await freshSetup();
    const first = await ensureDemoApiKey(options);
    writeState(stateFile, stateWithKey(first));

    // Act
    const second = await ensureDemoApiKey(options);

    // Assess
    expect(second).toBe(first);
    expect((await scanTable(tableName)).count).toBe(2); // the account and its one key
  });

  it("issues a new key when the state file holds a key the database does not know", async () => {
    // Prepare
    const { tableName, stateFile, options } = await freshSetup();
    const unknown = generateApiKeySecret();
    writeState(stateFile, stateWithKey(unknown));

    // Act
    const secret = await ensureDemoApiKey(options);

    // Assess
    expect(secret).not.toBe(unknown);
    await expect(findKey(tableName, secret)).resolves.toMatchObject({ ownerId: DEMO_OWNER_ID, status: "active" });
    await expect(findKey(tableName, unknown)).resolves.toBeNull();
  });

  it("issues a new key when the state file's key was revoked", async () => {
    // Prepare
    const { tableName, stateFile, options } = await freshSetup();
    const revoked = await ensureDemoApiKey(options);
    const client = createDocumentClient({ endpoint: dynamo.endpoint, region: "us-east-1", credentials });
    try {
      const store = new DynamoApiKeyStore({ client, tableName });
      await store.save({ ...(await store.findByHash(hashApiKey(revoked)))!, status: "revoked" });
    } finally {
      client.destroy();
    }
    writeState(stateFile, stateWithKey(revoked));

    // Act
    const secret = await ensureDemoApiKey(options);

    // Assess
    expect(secret).not.toBe(revoked);
    await expect(findKey(tableName, secret)).resolves.toMatchObject({ status: "active" });
  });

  it.each([
    ["not JSON", "{ this is not json"],
    ["JSON without a demo key", JSON.stringify({ demo: { apiKey: 42 } })],
    ["an empty file", ""],
  ])("issues a new key when the state file is corrupt (%s)", async (_, content) => {
    // Prepare
    const { tableName, stateFile, options } = await freshSetup();
    writeState(stateFile, content);

    // Act
    const secret = await ensureDemoApiKey(options);

    // Assess
    expect(looksLikeApiKey(secret)).toBe(true);
    await expect(findKey(tableName, secret)).resolves.toMatchObject({ ownerId: DEMO_OWNER_ID, status: "active" });
  });
});
