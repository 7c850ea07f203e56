import { Status, accountIdProto, fail, toBigInt } from "../codec.js";
import { isValidKey } from "../keys.js";
import { adjustHbar, requireAccount, type TransactionHandler } from "./context.js";

/** CryptoCreate: a new account with a key (ED25519, ECDSA secp256k1, key list or threshold key). */
export const cryptoCreate: TransactionHandler = (ctx) => {
  const op = ctx.body.cryptoCreateAccount!;
  if (!isValidKey(op.key)) fail(Status.KEY_REQUIRED, "a valid key is required");
  const initialBalance = toBigInt(op.initialBalance);
  if (initialBalance < 0n) fail(Status.INVALID_INITIAL_BALANCE);
  if ((op.memo ?? "").length > 100) fail(Status.MEMO_TOO_LONG);
  const max = op.maxAutomaticTokenAssociations ?? 0;
  if (max < -1 || max > 5000) fail(Status.INVALID_MAX_AUTO_ASSOCIATIONS);
  const payer = requireAccount(ctx, ctx.payer);
  if (payer.balance < initialBalance) fail(Status.INSUFFICIENT_PAYER_BALANCE);

  const id = ctx.newEntityId();
  ctx.state.accounts.set(id, {
    id,
    key: op.key!,
    balance: 0n,
    receiverSigRequired: Boolean(op.receiverSigRequired),
    memo: op.memo ?? "",
    maxAutoAssociations: max,
    usedAutoAssociations: 0,
    tokens: new Map(),
    createdNanos: ctx.consensusNanos,
    deleted: false,
  });
  if (initialBalance > 0n) {
    adjustHbar(ctx, ctx.payer, -initialBalance);
    adjustHbar(ctx, id, initialBalance);
  }
  ctx.receipt.accountID = accountIdProto(id);
};
