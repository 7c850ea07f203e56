import type { proto } from "@hashgraph/proto";
import { Status, accountIdOf, fail, tokenIdOf } from "../codec.js";
import { requireSignature, type TransactionHandler } from "./context.js";
import { checkAssociationRoom } from "./token-create.js";

/**
 * Flat fee of TokenAssociate: 0.05 ℏ (5,000,000 tinybars) per transaction, whatever the number of
 * tokens. Hedera prices an association at USD 0.05 (docs.hedera.com, "Fees").
 */
export const TOKEN_ASSOCIATE_FEE = 5_000_000n;

/** TokenAssociateToAccountHandler.pureChecks: an account, real token ids, none repeated. */
export function precheckTokenAssociate(body: proto.ITransactionBody): void {
  const op = body.tokenAssociate!;
  if (!accountIdOf(op.account)) fail(Status.INVALID_ACCOUNT_ID);
  const tokens = (op.tokens ?? []).map((t) => tokenIdOf(t));
  if (tokens.some((t) => !t || t === "0.0.0")) fail(Status.INVALID_TOKEN_ID);
  if (new Set(tokens).size < tokens.length) fail(Status.TOKEN_ID_REPEATED_IN_TOKEN_LIST);
}

/**
 * TokenAssociate: the account signs; every token must exist; the account's associations stay
 * within `tokens.maxPerAccount` (1,000: TOKENS_PER_ACCOUNT_LIMIT_EXCEEDED; Hedera enforces it when
 * `entities.limitTokenAssociations` is on); none may already be associated. Explicit associations
 * use no auto-association slot.
 */
export const tokenAssociate: TransactionHandler = (ctx) => {
  const op = ctx.body.tokenAssociate!;
  precheckTokenAssociate(ctx.body);
  const accountId = accountIdOf(op.account)!;
  const account = ctx.state.accounts.get(accountId) ?? fail(Status.INVALID_ACCOUNT_ID, accountId);
  requireSignature(ctx, account.key, `account ${accountId}`);
  if (account.deleted) fail(Status.ACCOUNT_DELETED, accountId);
  const tokens = (op.tokens ?? []).map((t) => tokenIdOf(t)!);
  for (const token of tokens) if (!ctx.state.tokens.has(token)) fail(Status.INVALID_TOKEN_ID, token);
  checkAssociationRoom(account, tokens.length);
  for (const token of tokens) if (account.tokens.has(token)) fail(Status.TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT, `${accountId} / ${token}`);

  for (const token of tokens) account.tokens.set(token, 0n);
};
