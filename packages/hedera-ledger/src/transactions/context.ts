import type { proto } from "@hashgraph/proto";
import { Status, fail, type Nanos } from "../codec.js";
import { isSatisfied, type Signers } from "../keys.js";
import type { AccountState, ExecutedTransaction, LedgerState } from "../state.js";

/**
 * What a transaction handler gets. Handlers validate everything first and throw a LedgerError
 * (via `fail`) before changing anything, so a refused transaction leaves the state untouched;
 * then they apply their changes through `credit`/`debit`/`creditToken`, which also fill the record.
 */
export interface HandleContext {
  state: LedgerState;
  body: proto.TransactionBody;
  payer: string;
  /** Verified signers of the transaction (for a scheduled transaction: all who signed the schedule). */
  signers: Signers;
  consensusNanos: Nanos;
  /** Receipt fields the handler sets (accountID, topicID, tokenID, scheduleID, ...). */
  receipt: proto.ITransactionReceipt;
  execution: ExecutedTransaction;
  /** Runs a scheduled inner transaction (set by the ledger). */
  executeScheduled(scheduleId: string): void;
  /** Announces a new topic message (the mirror subscription streams it). */
  publishTopicMessage(message: import("../state.js").TopicMessage): void;
  newEntityId(): string;
}

export type TransactionHandler = (ctx: HandleContext) => void;

export function requireAccount(ctx: HandleContext, id: string | undefined, status: Status = Status.INVALID_ACCOUNT_ID): AccountState {
  const account = id ? ctx.state.accounts.get(id) : undefined;
  if (!account) return fail(status, `account ${id ?? "(none)"}`);
  if (account.deleted) return fail(Status.ACCOUNT_DELETED, id);
  return account;
}

export function requireSignature(ctx: HandleContext, key: proto.IKey | null | undefined, detail?: string): void {
  if (!isSatisfied(key, ctx.signers)) fail(Status.INVALID_SIGNATURE, detail);
}

const addTo = (map: Map<string, bigint>, key: string, amount: bigint) => map.set(key, (map.get(key) ?? 0n) + amount);

/** Moves HBAR and records it; callers have checked the balances. */
export function adjustHbar(ctx: HandleContext, accountId: string, amount: bigint): void {
  const account = ctx.state.accounts.get(accountId)!;
  account.balance += amount;
  addTo(ctx.execution.transfers, accountId, amount);
}

/** Moves fungible token units and records it; callers have checked association and balances. */
export function adjustToken(ctx: HandleContext, tokenId: string, accountId: string, amount: bigint): void {
  const account = ctx.state.accounts.get(accountId)!;
  account.tokens.set(tokenId, (account.tokens.get(tokenId) ?? 0n) + amount);
  const perToken = ctx.execution.tokenTransfers.get(tokenId) ?? new Map<string, bigint>();
  addTo(perToken, accountId, amount);
  ctx.execution.tokenTransfers.set(tokenId, perToken);
}
