import type { proto } from "@hashgraph/proto";
import type { TransactionHandler } from "./context.js";
import { cryptoCreate } from "./crypto-create.js";
import { SCHEDULE_CREATE_FEE, precheckScheduleCreate, scheduleCreate } from "./schedule-create.js";
import { SCHEDULE_SIGN_FEE, precheckScheduleSign, scheduleSign } from "./schedule-sign.js";
import { SCHEDULE_DELETE_FEE, precheckScheduleDelete, scheduleDelete } from "./schedule-delete.js";
import { TOPIC_CREATE_FEE, consensusCreateTopic } from "./topic-create.js";
import { consensusSubmitMessage, precheckSubmitMessage } from "./topic-submit.js";
import { cryptoTransfer, payerHbarDebit, precheckTransfer } from "./crypto-transfer.js";
import { toBigInt } from "../codec.js";
import { TOKEN_CREATE_FEE, precheckTokenCreate, tokenCreate } from "./token-create.js";
import { TOKEN_ASSOCIATE_FEE, precheckTokenAssociate, tokenAssociate } from "./token-associate.js";
import { TOKEN_AIRDROP_FEE, TOKEN_CANCEL_AIRDROP_FEE, TOKEN_CLAIM_AIRDROP_FEE, precheckCancelAirdrop, precheckClaimAirdrop, precheckTokenAirdrop, tokenAirdrop, tokenCancelAirdrop, tokenClaimAirdrop } from "./token-airdrop.js";

export interface TransactionType {
  handle: TransactionHandler;
  /** Checks on the body alone, answered at precheck (Hedera's "pure checks"). */
  precheck?: (body: proto.ITransactionBody) => void;
  /** Flat fee in tinybars charged to the payer (see README, "Fees"). */
  fee: bigint;
  /** HBAR the payer itself spends besides the fee, for the solvency precheck (Hedera's estimateAdditionalCosts). */
  payerSpend?: (body: proto.ITransactionBody, payerId: string) => bigint;
}

/** 0.001 ℏ: the flat fee of ordinary transactions. */
export const BASE_FEE = 100_000n;

/** Supported transactions, by `TransactionBody` oneof name. Anything else is NOT_SUPPORTED. */
export const TRANSACTION_TYPES: Record<string, TransactionType> = {
  scheduleCreate: { handle: scheduleCreate, precheck: precheckScheduleCreate, fee: SCHEDULE_CREATE_FEE },
  scheduleSign: { handle: scheduleSign, precheck: precheckScheduleSign, fee: SCHEDULE_SIGN_FEE },
  scheduleDelete: { handle: scheduleDelete, precheck: precheckScheduleDelete, fee: SCHEDULE_DELETE_FEE },
  cryptoCreateAccount: { handle: cryptoCreate, fee: 5_000_000n, payerSpend: (body) => toBigInt(body.cryptoCreateAccount?.initialBalance) },
  cryptoTransfer: { handle: cryptoTransfer, precheck: precheckTransfer, fee: BASE_FEE, payerSpend: payerHbarDebit },
  consensusCreateTopic: { handle: consensusCreateTopic, fee: TOPIC_CREATE_FEE },
  consensusSubmitMessage: { handle: consensusSubmitMessage, precheck: precheckSubmitMessage, fee: BASE_FEE },
  tokenCreation: { handle: tokenCreate, precheck: precheckTokenCreate, fee: TOKEN_CREATE_FEE },
  tokenAssociate: { handle: tokenAssociate, precheck: precheckTokenAssociate, fee: TOKEN_ASSOCIATE_FEE },
  tokenAirdrop: { handle: tokenAirdrop, precheck: precheckTokenAirdrop, fee: TOKEN_AIRDROP_FEE },
  tokenClaimAirdrop: { handle: tokenClaimAirdrop, precheck: precheckClaimAirdrop, fee: TOKEN_CLAIM_AIRDROP_FEE },
  tokenCancelAirdrop: { handle: tokenCancelAirdrop, precheck: precheckCancelAirdrop, fee: TOKEN_CANCEL_AIRDROP_FEE },
};
