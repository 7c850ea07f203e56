import type { proto } from "@hashgraph/proto";
import type { Ledger } from "../ledger.js";
import { accountBalance, accountInfo } from "./accounts.js";
import { SCHEDULE_INFO_COST, scheduleInfo } from "./schedules.js";
import { transactionReceipt, transactionRecord } from "./transactions.js";
import { topicInfo } from "./topics.js";
import { TOKEN_INFO_COST, tokenInfo } from "./tokens.js";

export interface QueryType {
  /** Name of the `Response` oneof field that answers it. */
  response: string;
  /** Tinybars; 0 = free (the SDK still attaches an unsigned payment, which is ignored). */
  cost: bigint;
  answer(ledger: Ledger, query: { header?: proto.IQueryHeader } & Record<string, unknown>): object;
}

/** Supported queries, by `Query` oneof name. */
export const QUERY_TYPES: Record<string, QueryType> = {
  scheduleGetInfo: { response: "scheduleGetInfo", cost: SCHEDULE_INFO_COST, answer: scheduleInfo },
  cryptogetAccountBalance: { response: "cryptogetAccountBalance", cost: 0n, answer: accountBalance },
  cryptoGetInfo: { response: "cryptoGetInfo", cost: 10_000n, answer: accountInfo },
  transactionGetReceipt: { response: "transactionGetReceipt", cost: 0n, answer: transactionReceipt },
  transactionGetRecord: { response: "transactionGetRecord", cost: 10_000n, answer: transactionRecord },
  consensusGetTopicInfo: { response: "consensusGetTopicInfo", cost: 10_000n, answer: topicInfo },
  tokenGetInfo: { response: "tokenGetInfo", cost: TOKEN_INFO_COST, answer: tokenInfo },
};
