/**
 * Every item's keys in the single table, in one place. Each entity gets a prefix so one
 * partition never mixes entity types by accident, and `gsi1` serves one lookup per entity:
 *
 * | entity        | pk                 | sk                  | gsi1pk            | gsi1sk                  |
 * |---------------|--------------------|---------------------|-------------------|-------------------------|
 * | job           | JOB#<jobId>        | JOB                 | OWNER#<ownerId>   | JOB#<createdAt>#<jobId> |
 * | subscription  | JOB#<jobId>        | SUB#<connectionId>  | CONN#<connId>     | SUB#<jobId>             |
 * | connection    | CONN#<connId>      | CONN                | —                 | —                       |
 * | API key       | APIKEY#<sha256>    | APIKEY              | OWNER#<ownerId>   | APIKEY#<createdAt>      |
 * | epoch pointer | EPOCH              | LAST_CLOSED         | —                 | —                       |
 * | closed epoch  | EPOCH#<n>          | EPOCH               | —                 | —                       |
 * | epoch tally   | EPOCH#<n>          | TALLY               | —                 | —                       |
 * | score         | EPOCH#<n>          | SCORE#<val>#<miner> | —                 | —                       |
 * | miner         | MINER#<accountId>  | MINER               | MINERS            | <accountId>             |
 * | request nonce | NONCE#<account>    | <nonce>             | —                 | —                       |
 * | account       | ACCOUNT#<hederaId> | ACCOUNT             | —                 | —                       |
 * | usage record  | USAGE#<requestId>  | USAGE               | OWNER#<ownerId>   | USAGE#<createdAt>#<id>  |
 * | deposit       | DEPOSIT#<txId>     | DEPOSIT             | OWNER#<accountId> | DEPOSIT#<consensusTs>   |
 * | deposit scan  | DEPOSITS           | CURSOR              | —                 | —                       |
 * | rate window   | RATE#<keyHash>     | <windowStart ms>    | —                 | —                       |
 *
 * Epoch numbers are zero-padded to 12 digits so they sort as strings.
 */
export const keys = {
  job: (jobId: string) => ({ pk: `JOB#${jobId}`, sk: "JOB" }),
  jobByOwner: (ownerId: string, createdAt: string, jobId: string) => ({ gsi1pk: `OWNER#${ownerId}`, gsi1sk: `JOB#${createdAt}#${jobId}` }),
  subscription: (jobId: string, connectionId: string) => ({ pk: `JOB#${jobId}`, sk: `SUB#${connectionId}` }),
  subscriptionByConnection: (connectionId: string, jobId: string) => ({ gsi1pk: `CONN#${connectionId}`, gsi1sk: `SUB#${jobId}` }),
  connection: (connectionId: string) => ({ pk: `CONN#${connectionId}`, sk: "CONN" }),
  apiKey: (keyHash: string) => ({ pk: `APIKEY#${keyHash}`, sk: "APIKEY" }),
  apiKeyByOwner: (ownerId: string, createdAt: string) => ({ gsi1pk: `OWNER#${ownerId}`, gsi1sk: `APIKEY#${createdAt}` }),
  epochPointer: () => ({ pk: "EPOCH", sk: "LAST_CLOSED" }),
  epoch: (epoch: number) => ({ pk: epochPk(epoch), sk: "EPOCH" }),
  tally: (epoch: number) => ({ pk: epochPk(epoch), sk: "TALLY" }),
  score: (epoch: number, validatorId: string, minerId: string) => ({ pk: epochPk(epoch), sk: `SCORE#${validatorId}#${minerId}` }),
  miner: (minerId: string) => ({ pk: `MINER#${minerId}`, sk: "MINER" }),
  minerListing: (minerId: string) => ({ gsi1pk: "MINERS", gsi1sk: minerId }),
  nonce: (accountId: string, nonce: string) => ({ pk: `NONCE#${accountId}`, sk: nonce }),
  account: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: "ACCOUNT" }),
  usage: (usageId: string) => ({ pk: `USAGE#${usageId}`, sk: "USAGE" }),
  usageByOwner: (ownerId: string, createdAt: string, usageId: string) => ({ gsi1pk: `OWNER#${ownerId}`, gsi1sk: `USAGE#${createdAt}#${usageId}` }),
  deposit: (transactionId: string) => ({ pk: `DEPOSIT#${transactionId}`, sk: "DEPOSIT" }),
  depositByOwner: (accountId: string, consensusTimestamp: string) => ({ gsi1pk: `OWNER#${accountId}`, gsi1sk: `DEPOSIT#${consensusTimestamp}` }),
  depositCursor: () => ({ pk: "DEPOSITS", sk: "CURSOR" }),
  rateWindow: (key: string, windowStart: number) => ({ pk: `RATE#${key}`, sk: String(windowStart) }),
} as const;

export const epochPk = (epoch: number) => `EPOCH#${String(epoch).padStart(12, "0")}`;

/** DynamoDB TTL wants epoch seconds. */
export const ttlAfter = (from: Date, seconds: number) => Math.floor(from.getTime() / 1000) + seconds;

export const DAY_SECONDS = 86_400;
