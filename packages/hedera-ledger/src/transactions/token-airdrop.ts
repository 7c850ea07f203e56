import type { proto } from "@hashgraph/proto";
import { Status, accountIdOf, fail, toBigInt, tokenIdOf } from "../codec.js";
import { isSatisfied } from "../keys.js";
import { pendingAirdropKey, type AccountState, type PendingAirdrop } from "../state.js";
import { adjustToken, requireSignature, type HandleContext, type TransactionHandler } from "./context.js";
import { ensureCanReceive } from "./crypto-transfer.js";

/**
 * Fees (flat, tinybars). Hedera charges an airdrop the token-transfer price (USD 0.001) plus USD 0.1
 * for each pending airdrop or auto-association it causes, and USD 0.001 for a claim or a cancel
 * (docs.hedera.com "Fees"; TokenAirdropHandler.chargeAirdropFee). This ledger charges flat fees set
 * at the costly case, so a budget checked here is never too small on Hedera: 0.1 ℏ per TokenAirdrop,
 * and the base fee (0.001 ℏ) per claim or cancel.
 */
export const TOKEN_AIRDROP_FEE = 10_000_000n;
export const TOKEN_CLAIM_AIRDROP_FEE = 100_000n;
export const TOKEN_CANCEL_AIRDROP_FEE = 100_000n;

/** hiero-consensus-node TokensConfig / LedgerConfig. */
export const AIRDROP_LIMITS = {
  /** `ledger.tokenTransfers.maxLen`: fungible adjustments per airdrop. */
  tokenTransfers: 10,
  /** `tokens.airdrops.claim.maxPendingAirdropsToClaim` / `tokens.airdrops.cancel.maxPendingAirdropsToCancel`. */
  claim: 10,
  cancel: 10,
  /** Accounts 0.0.1 - 0.0.1000 are system accounts and cannot receive airdrops (INVALID_RECEIVING_NODE_ACCOUNT). */
  lastSystemAccount: 1000n,
} as const;

const isSystemAccount = (id: string) => BigInt(id.split(".")[2]!) <= AIRDROP_LIMITS.lastSystemAccount;

/** An account id from a transfer list: its number, or NOT_SUPPORTED for an alias (this ledger has none). */
function transferAccount(aa: proto.IAccountAmount): string {
  if (!aa.accountID) return fail(Status.INVALID_TRANSFER_ACCOUNT_ID);
  const id = accountIdOf(aa.accountID);
  if (!id) return fail(Status.NOT_SUPPORTED, "account aliases");
  return id;
}

/**
 * TokenAirdropValidator.pureChecks (answered at precheck): at least one token list; per fungible
 * list exactly one sender; no allowances; token ids present and not repeated; accounts present and
 * not repeated; each list sums to zero. NFT airdrops are not supported by this ledger.
 */
export function precheckTokenAirdrop(body: proto.ITransactionBody): void {
  const lists = body.tokenAirdrop?.tokenTransfers ?? [];
  if (lists.length === 0) fail(Status.EMPTY_TOKEN_TRANSFER_BODY);
  for (const list of lists) {
    if ((list.nftTransfers ?? []).length > 0) fail(Status.NOT_SUPPORTED, "NFT airdrops");
    const transfers = list.transfers ?? [];
    if (transfers.length > 0 && transfers.filter((aa) => toBigInt(aa.amount) < 0n).length !== 1) fail(Status.AIRDROP_CONTAINS_MULTIPLE_SENDERS_FOR_A_TOKEN);
  }
  const tokens = new Set<string>();
  for (const list of lists) {
    const token = tokenIdOf(list.token);
    if (!token || token === "0.0.0") fail(Status.INVALID_TOKEN_ID);
    tokens.add(token!);
    const transfers = list.transfers ?? [];
    if (transfers.reduce((total, aa) => total + toBigInt(aa.amount), 0n) !== 0n) fail(Status.TRANSFERS_NOT_ZERO_SUM_FOR_TOKEN, token);
    const accounts = new Set<string>();
    for (const aa of transfers) {
      if (aa.isApproval) fail(Status.NOT_SUPPORTED, "airdrops from an allowance");
      accounts.add(transferAccount(aa));
    }
    if (accounts.size < transfers.length) fail(Status.ACCOUNT_REPEATED_IN_ACCOUNT_AMOUNTS, token);
    if (transfers.length === 0) fail(Status.EMPTY_TOKEN_TRANSFER_ACCOUNT_AMOUNTS, token);
  }
  if (tokens.size < lists.length) fail(Status.TOKEN_ID_REPEATED_IN_TOKEN_LIST);
}

interface PlannedList {
  token: string;
  sender: string;
  /** Receivers credited now (associated, or with a free auto-association slot). */
  now: Array<{ account: string; amount: bigint }>;
  /** Receivers left pending (no association and no free slot, or a required signature missing). */
  pending: Array<{ account: string; amount: bigint }>;
}

/**
 * TokenAirdrop (HIP-904), in hiero-consensus-node TokenAirdropHandler's order: senders exist and
 * sign; then per token list the token exists, the sender is associated and holds the whole amount
 * (pending parts included), at most 10 fungible adjustments in all; then each receiver is sorted:
 * associated or a free auto-association slot → credited now (auto-associating it), otherwise (or
 * when it requires its signature and did not sign) → a pending airdrop, which moves no tokens and
 * adds to an existing pending amount for the same sender, receiver and token. The record lists
 * pending airdrops (with their accumulated amount) in `newPendingAirdrops`.
 */
export const tokenAirdrop: TransactionHandler = (ctx) => {
  precheckTokenAirdrop(ctx.body);
  const lists = ctx.body.tokenAirdrop!.tokenTransfers!;

  // preHandle: every sender exists and signs.
  for (const list of lists) {
    const debit = (list.transfers ?? []).find((aa) => toBigInt(aa.amount) < 0n)!;
    const sender = ctx.state.accounts.get(transferAccount(debit)) ?? fail(Status.INVALID_ACCOUNT_ID, accountIdOf(debit.accountID));
    requireSignature(ctx, sender.key, `sender ${sender.id}`);
  }

  // validateSemantics: tokens, sender associations and balances, the adjustment limit.
  let adjustments = 0;
  const plans: PlannedList[] = [];
  for (const list of lists) {
    const token = tokenIdOf(list.token)!;
    const tokenState = ctx.state.tokens.get(token) ?? fail(Status.INVALID_TOKEN_ID, token);
    const transfers = (list.transfers ?? []).map((aa) => ({ account: transferAccount(aa), amount: toBigInt(aa.amount) }));
    const debit = transfers.find((t) => t.amount < 0n)!;
    const sender = ctx.state.accounts.get(debit.account)!;
    if (sender.deleted) fail(Status.ACCOUNT_DELETED, sender.id);
    if (!sender.tokens.has(token)) fail(Status.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT, `${sender.id} / ${token}`);
    if (sender.tokens.get(token)! + debit.amount < 0n) fail(Status.INSUFFICIENT_TOKEN_BALANCE, `${sender.id} / ${token}`);
    adjustments += transfers.length;
    if (adjustments > AIRDROP_LIMITS.tokenTransfers) fail(Status.TOKEN_TRANSFER_LIST_SIZE_LIMIT_EXCEEDED, `more than ${AIRDROP_LIMITS.tokenTransfers} token adjustments`);
    const expected = list.expectedDecimals?.value;
    if (expected !== undefined && expected !== null && expected !== tokenState.decimals) fail(Status.UNEXPECTED_TOKEN_DECIMALS, token);
    plans.push({ token, sender: sender.id, now: [], pending: [] });
  }

  // Sort each receiver into "now" or "pending" (AirdropHandlerHelper.separateFungibleTransfers).
  const slotsWanted = new Map<AccountState, number>();
  lists.forEach((list, i) => {
    const plan = plans[i]!;
    for (const aa of list.transfers ?? []) {
      const amount = toBigInt(aa.amount);
      if (amount <= 0n) continue;
      const id = transferAccount(aa);
      const receiver = ctx.state.accounts.get(id) ?? fail(Status.INVALID_ACCOUNT_ID, `receiver ${id}`);
      if (receiver.deleted) fail(Status.ACCOUNT_DELETED, `receiver ${id}`);
      if (isSystemAccount(id)) fail(Status.INVALID_RECEIVING_NODE_ACCOUNT, id);
      const unsigned = receiver.receiverSigRequired && !isSatisfied(receiver.key, ctx.signers);
      const associated = receiver.tokens.has(plan.token);
      if (unsigned || !ensureCanReceive(ctx, id, plan.token, false)) {
        plan.pending.push({ account: id, amount });
      } else {
        plan.now.push({ account: id, amount });
        if (!associated) slotsWanted.set(receiver, (slotsWanted.get(receiver) ?? 0) + 1);
      }
    }
  });
  // Hedera sorts every list against the state before the transfer; a receiver given more new tokens
  // than it has free slots then fails the transfer's auto-association.
  for (const [receiver, wanted] of slotsWanted) {
    if (receiver.maxAutoAssociations !== -1 && receiver.usedAutoAssociations + wanted > receiver.maxAutoAssociations) fail(Status.NO_REMAINING_AUTOMATIC_ASSOCIATIONS, receiver.id);
  }

  // Apply: pending airdrops first (as Hedera does), then the transfer of the rest.
  for (const plan of plans) {
    for (const { account, amount } of plan.pending) {
      const key = pendingAirdropKey(plan.sender, account, plan.token);
      const existing = ctx.state.pendingAirdrops.get(key);
      const entry: PendingAirdrop = existing
        ? { ...existing, amount: existing.amount + amount }
        : { sender: plan.sender, receiver: account, token: plan.token, amount };
      ctx.state.pendingAirdrops.set(key, entry);
      ctx.execution.newPendingAirdrops.push({ ...entry });
    }
  }
  for (const plan of plans) {
    const total = plan.now.reduce((sum, t) => sum + t.amount, 0n);
    if (total === 0n) continue;
    adjustToken(ctx, plan.token, plan.sender, -total);
    for (const { account, amount } of plan.now) {
      ensureCanReceive(ctx, account, plan.token, true);
      adjustToken(ctx, plan.token, account, amount);
    }
  }
};

/** A pending airdrop id as this ledger keys it; NFT ids get a key no fungible airdrop can have. */
function pendingKeyOf(id: proto.IPendingAirdropId): { sender?: string; receiver?: string; token?: string; key: string } {
  const sender = accountIdOf(id.senderId);
  const receiver = accountIdOf(id.receiverId);
  const token = tokenIdOf(id.fungibleTokenType);
  const nft = id.nonFungibleToken ? `nft:${tokenIdOf(id.nonFungibleToken.token_ID) ?? "?"}/${toBigInt(id.nonFungibleToken.serialNumber)}` : undefined;
  const key = token && !nft ? pendingAirdropKey(sender ?? "?", receiver ?? "?", token) : `${sender ?? "?"}|${receiver ?? "?"}|${nft ?? token ?? "?"}`;
  return { ...(sender ? { sender } : {}), ...(receiver ? { receiver } : {}), ...(token ? { token } : {}), key };
}

/** TokenClaimAirdropHandler.pureChecks: a non-empty list without repeats, each with a sender and a receiver. */
export function precheckClaimAirdrop(body: proto.ITransactionBody): void {
  const ids = body.tokenClaimAirdrop?.pendingAirdrops ?? [];
  if (ids.length === 0) fail(Status.EMPTY_PENDING_AIRDROP_ID_LIST);
  const keys = ids.map(pendingKeyOf);
  if (new Set(keys.map((k) => k.key)).size < keys.length) fail(Status.PENDING_AIRDROP_ID_REPEATED);
  if (keys.some((k) => !k.sender || !k.receiver)) fail(Status.INVALID_PENDING_AIRDROP_ID);
}

/**
 * TokenClaimAirdrop: every receiver exists and signs; at most 10 ids (PENDING_AIRDROP_ID_LIST_TOO_LONG,
 * checked at handle as Hedera does); each must be pending (INVALID_PENDING_AIRDROP_ID). The receiver
 * is associated for free if needed (no auto-association slot is used) and the sender, which must
 * still be associated and hold the amount, is debited now. The pending entries are removed.
 */
export const tokenClaimAirdrop: TransactionHandler = (ctx) => {
  precheckClaimAirdrop(ctx.body);
  const ids = ctx.body.tokenClaimAirdrop!.pendingAirdrops!.map(pendingKeyOf);
  for (const id of ids) {
    const receiver = ctx.state.accounts.get(id.receiver!) ?? fail(Status.INVALID_ACCOUNT_ID, `receiver ${id.receiver}`);
    requireSignature(ctx, receiver.key, `receiver ${receiver.id}`);
  }
  if (ids.length > AIRDROP_LIMITS.claim) fail(Status.PENDING_AIRDROP_ID_LIST_TOO_LONG);
  const claims = ids.map((id) => {
    if (!ctx.state.accounts.has(id.sender!) || !ctx.state.accounts.has(id.receiver!)) fail(Status.INVALID_PENDING_AIRDROP_ID);
    return ctx.state.pendingAirdrops.get(id.key) ?? fail(Status.INVALID_PENDING_AIRDROP_ID, id.key);
  });
  const debits = new Map<string, bigint>();
  for (const claim of claims) {
    if (!ctx.state.tokens.has(claim.token)) fail(Status.INVALID_TOKEN_ID, claim.token);
    const sender = ctx.state.accounts.get(claim.sender)!;
    const receiver = ctx.state.accounts.get(claim.receiver)!;
    if (sender.deleted) fail(Status.ACCOUNT_DELETED, sender.id);
    if (receiver.deleted) fail(Status.ACCOUNT_DELETED, receiver.id);
    if (!sender.tokens.has(claim.token)) fail(Status.TOKEN_NOT_ASSOCIATED_TO_ACCOUNT, `${sender.id} / ${claim.token}`);
    const debitKey = `${sender.id}|${claim.token}`;
    const debit = (debits.get(debitKey) ?? 0n) + claim.amount;
    debits.set(debitKey, debit);
    if (sender.tokens.get(claim.token)! < debit) fail(Status.INSUFFICIENT_TOKEN_BALANCE, `${sender.id} / ${claim.token}`);
  }

  for (const [i, claim] of claims.entries()) {
    const receiver = ctx.state.accounts.get(claim.receiver)!;
    if (!receiver.tokens.has(claim.token)) receiver.tokens.set(claim.token, 0n);
    adjustToken(ctx, claim.token, claim.sender, -claim.amount);
    adjustToken(ctx, claim.token, claim.receiver, claim.amount);
    ctx.state.pendingAirdrops.delete(ids[i]!.key);
  }
};

/** TokenCancelAirdropHandler.pureChecks. */
export function precheckCancelAirdrop(body: proto.ITransactionBody): void {
  const ids = body.tokenCancelAirdrop?.pendingAirdrops ?? [];
  if (ids.length === 0) fail(Status.EMPTY_PENDING_AIRDROP_ID_LIST);
  const seen = new Set<string>();
  for (const id of ids) {
    const { key, sender, receiver } = pendingKeyOf(id);
    if (seen.has(key)) fail(Status.PENDING_AIRDROP_ID_REPEATED);
    seen.add(key);
    if (!receiver || !sender) fail(Status.INVALID_PENDING_AIRDROP_ID);
    if (id.fungibleTokenType && tokenIdOf(id.fungibleTokenType) === "0.0.0") fail(Status.INVALID_TOKEN_ID);
    if (id.nonFungibleToken) {
      if (!id.nonFungibleToken.token_ID) fail(Status.INVALID_NFT_ID);
      if (toBigInt(id.nonFungibleToken.serialNumber) <= 0n) fail(Status.INVALID_TOKEN_NFT_SERIAL_NUMBER);
    }
  }
}

/**
 * TokenCancelAirdrop: every sender exists (else INVALID_PENDING_AIRDROP_ID) and signs; at most 10
 * ids; each must be pending. The entries are removed; no tokens move and no fee is refunded.
 */
export const tokenCancelAirdrop: TransactionHandler = (ctx: HandleContext) => {
  precheckCancelAirdrop(ctx.body);
  const ids = ctx.body.tokenCancelAirdrop!.pendingAirdrops!.map(pendingKeyOf);
  for (const id of ids) {
    const sender = ctx.state.accounts.get(id.sender!) ?? fail(Status.INVALID_PENDING_AIRDROP_ID, `sender ${id.sender}`);
    requireSignature(ctx, sender.key, `sender ${sender.id}`);
  }
  if (ids.length > AIRDROP_LIMITS.cancel) fail(Status.PENDING_AIRDROP_ID_LIST_TOO_LONG);
  for (const id of ids) {
    if (!ctx.state.accounts.has(id.receiver!)) fail(Status.INVALID_PENDING_AIRDROP_ID);
    if (!ctx.state.pendingAirdrops.has(id.key)) fail(Status.INVALID_PENDING_AIRDROP_ID, id.key);
  }
  for (const id of ids) ctx.state.pendingAirdrops.delete(id.key);
};
