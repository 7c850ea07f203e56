import type { proto } from "@hashgraph/proto";
import { Status, accountIdOf, fail, toBigInt, tokenIdOf } from "../codec.js";
import { adjustHbar, adjustToken, requireAccount, requireSignature, type HandleContext, type TransactionHandler } from "./context.js";

/** Network limits (hiero-consensus-node LedgerConfig): per CryptoTransfer. */
export const MAX_HBAR_ADJUSTMENTS = 10;
export const MAX_TOKEN_ADJUSTMENTS = 10;
export const MAX_BALANCE_CHANGES = 20;

interface Adjustment {
  account: string;
  amount: bigint;
}

function parseAdjustments(list: proto.IAccountAmount[] | null | undefined): Adjustment[] {
  const seen = new Set<string>();
  return (list ?? []).map((aa) => {
    const account = accountIdOf(aa.accountID);
    if (!account) return fail(Status.INVALID_ACCOUNT_ID);
    if (seen.has(account)) return fail(Status.ACCOUNT_REPEATED_IN_ACCOUNT_AMOUNTS, account);
    seen.add(account);
    if (aa.isApproval) return fail(Status.NOT_SUPPORTED, "allowance (approved) transfers");
    return { account, amount: toBigInt(aa.amount) };
  });
}

const sum = (adjustments: Adjustment[]) => adjustments.reduce((total, a) => total + a.amount, 0n);

/**
 * The checks Hedera makes at ingest (precheck), on the body alone: list sizes, zero sums,
 * repeated accounts. A failure here is answered before the transaction reaches consensus.
 */
export function precheckTransfer(body: proto.ITransactionBody): void {
  const op = body.cryptoTransfer!;
  const hbar = parseAdjustments(op.transfers?.accountAmounts);
  if (hbar.length > MAX_HBAR_ADJUSTMENTS) fail(Status.TRANSFER_LIST_SIZE_LIMIT_EXCEEDED, `${hbar.length} HBAR adjustments (max ${MAX_HBAR_ADJUSTMENTS})`);
  if (sum(hbar) !== 0n) fail(Status.INVALID_ACCOUNT_AMOUNTS, "HBAR adjustments must sum to zero");
  let tokenAdjustments = 0;
  const tokens = new Set<string>();
  for (const list of op.tokenTransfers ?? []) {
    const token = tokenIdOf(list.token);
    if (!token) fail(Status.INVALID_TOKEN_ID);
    if (tokens.has(token!)) fail(Status.TOKEN_ID_REPEATED_IN_TOKEN_LIST, token);
    tokens.add(token!);
    if ((list.nftTransfers ?? []).length > 0) fail(Status.NOT_SUPPORTED, "NFT transfers");
    const adjustments = parseAdjustments(list.transfers);
    if (adjustments.length === 0) fail(Status.EMPTY_TOKEN_TRANSFER_ACCOUNT_AMOUNTS, token);
    if (adjustments.some((a) => a.amount === 0n)) fail(Status.INVALID_ACCOUNT_AMOUNTS, "zero token amount");
    if (sum(adjustments) !== 0n) fail(Status.TRANSFERS_NOT_ZERO_SUM_FOR_TOKEN, token);
    tokenAdjustments += adjustments.length;
  }
  if (tokenAdjustments > MAX_TOKEN_ADJUSTMENTS) fail(Status.TOKEN_TRANSFER_LIST_SIZE_LIMIT_EXCEEDED, `${tokenAdjustments} token adjustments (max ${MAX_TOKEN_ADJUSTMENTS})`);
  if (hbar.length + tokenAdjustments > MAX_BALANCE_CHANGES) fail(Status.TRANSFER_LIST_SIZE_LIMIT_EXCEEDED, `more than ${MAX_BALANCE_CHANGES} balance changes`);
  if (hbar.length === 0 && tokenAdjustments === 0) fail(Status.EMPTY_TRANSACTION_BODY, "nothing to transfer");
}

/** What the payer's own HBAR adjustments take from it (the solvency precheck adds the fee). */
export function payerHbarDebit(body: proto.ITransactionBody, payerId: string): bigint {
  return (body.cryptoTransfer?.transfers?.accountAmounts ?? [])
    .filter((aa) => accountIdOf(aa.accountID) === payerId && toBigInt(aa.amount) < 0n)
    .reduce((total, aa) => total - toBigInt(aa.amount), 0n);
}

/** Can `account` receive `token`? Associates it automatically when a free slot allows (HIP-23/904). */
export function ensureCanReceive(ctx: HandleContext, accountId: string, tokenId: string, apply: boolean): boolean {
  const account = ctx.state.accounts.get(accountId)!;
  if (account.tokens.has(tokenId)) return true;
  const freeSlot = account.maxAutoAssociations === -1 || account.usedAutoAssociations < account.maxAutoAssociations;
  if (!freeSlot) return false;
  if (apply) {
    account.tokens.set(tokenId, 0n);
    account.usedAutoAssociations++;
    ctx.execution.autoAssociations.push({ account: accountId, token: tokenId });
  }
  return true;
}

/** CryptoTransfer of HBAR and fungible HTS tokens, atomically. */
export const cryptoTransfer: TransactionHandler = (ctx) => {
  const op = ctx.body.cryptoTransfer!;
  precheckTransfer(ctx.body);
  const hbar = parseAdjustments(op.transfers?.accountAmounts);
  const tokenLists = (op.tokenTransfers ?? []).map((list) => ({
    token: tokenIdOf(list.token)!,
    expectedDecimals: list.expectedDecimals?.value,
    adjustments: parseAdjustments(list.transfers),
  }));

  // Validate everything before moving anything.
  for (const { account, amount } of hbar) {
    const state = requireAccount(ctx, account);
    if (amount < 0n) {
      requireSignature(ctx, state.key, `debited account ${account}`);
      // The payer's fee has already been taken from its balance.
      if (state.balance + amount < 0n) fail(Status.INSUFFICIENT_ACCOUNT_BALANCE, account);
    } else if (state.receiverSigRequired) {
      requireSignature(ctx, state.key, `receiver ${account} requires its signature`);
    }
  }
  for (const { token, expectedDecimals, adjustments } of tokenLists) {
    const tokenState = ctx.state.tokens.get(token) ?? fail(Status.INVALID_TOKEN_ID, token);
    if (expectedDecimals !== undefined && expectedDecimals !== null && expectedDecimals !== tokenState.decimals) fail(Status.UNEXPECTED_TOKEN_DECIMALS, token);
    for (const { account, amount } of adjustments) {
      const state = requireAccount(ctx, account);
      if (amount < 0n) {
        requireSignature(ctx, state.key, `debited account ${account}`);
        if (!state.tokens.has(token)) fail(Status.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT, `${account} / ${token}`);
        if (state.tokens.get(token)! + amount < 0n) fail(Status.INSUFFICIENT_TOKEN_BALANCE, `${account} / ${token}`);
      } else {
        if (state.receiverSigRequired) requireSignature(ctx, state.key, `receiver ${account} requires its signature`);
        if (!ensureCanReceive(ctx, account, token, false)) {
          // Hedera tells apart "never allowed auto-association" from "allowed, but the slots are used up".
          fail(state.maxAutoAssociations > 0 ? Status.NO_REMAINING_AUTOMATIC_ASSOCIATIONS : Status.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT, `${account} / ${token}`);
        }
      }
    }
  }

  for (const { account, amount } of hbar) adjustHbar(ctx, account, amount);
  for (const { token, adjustments } of tokenLists) {
    for (const { account, amount } of adjustments) {
      if (amount > 0n) ensureCanReceive(ctx, account, token, true);
      adjustToken(ctx, token, account, amount);
    }
  }
};
