import type { proto } from "@hashgraph/proto";
import type { TransactionHandler } from "./context.js";
import { cryptoCreate } from "./crypto-create.js";
import { cryptoTransfer, payerHbarDebit, precheckTransfer } from "./crypto-transfer.js";
import { toBigInt } from "../codec.js";

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
  cryptoCreateAccount: { handle: cryptoCreate, fee: 5_000_000n, payerSpend: (body) => toBigInt(body.cryptoCreateAccount?.initialBalance) },
  cryptoTransfer: { handle: cryptoTransfer, precheck: precheckTransfer, fee: BASE_FEE, payerSpend: payerHbarDebit },
};
