import { Status, accountIdOf, fail, toBigInt, topicIdProto } from "../codec.js";
import { isValidKey } from "../keys.js";
import { RUNNING_HASH_BYTES } from "../running-hash.js";
import { requireAccount, requireSignature, type TransactionHandler } from "./context.js";

/**
 * Flat fee of ConsensusCreateTopic: 0.01 ℏ (1,000,000 tinybars), ten times the ledger's base
 * transaction fee. Hedera prices it at USD 0.01 against USD 0.0001 for a CryptoTransfer; this
 * ledger has no exchange rate, so it keeps a flat, cheaper ratio that still makes topics cost more.
 */
export const TOPIC_CREATE_FEE = 1_000_000n;

/** Topic limits (hiero-consensus-node HederaConfig `maxMemoUtf8Bytes`, LedgerConfig auto-renew bounds). */
export const TOPIC_LIMITS = {
  memoBytes: 100,
  /** `ledger.autoRenewPeriod.minDuration` / `maxDuration` (seconds). */
  minAutoRenewSeconds: 2_592_000n,
  maxAutoRenewSeconds: 8_000_001n,
} as const;

/** `attributeValidator.validateMemo`: at most 100 UTF-8 bytes, no NUL byte. */
export function validateMemo(memo: string): void {
  if (Buffer.byteLength(memo, "utf8") > TOPIC_LIMITS.memoBytes) fail(Status.MEMO_TOO_LONG);
  if (memo.includes("\u0000")) fail(Status.INVALID_ZERO_BYTE_IN_STRING);
}

/**
 * ConsensusCreateTopic, checked in the order of hiero-consensus-node's ConsensusCreateTopicHandler:
 * preHandle (admin key well-formed, auto-renew account exists), then the signatures it requires
 * (admin key, auto-renew account), then handle (submit key, memo, auto-renew period).
 * Custom fees, fee-schedule keys and fee-exempt keys (HIP-991) are not supported here.
 */
export const consensusCreateTopic: TransactionHandler = (ctx) => {
  const op = ctx.body.consensusCreateTopic!;
  if (op.customFees?.length || op.feeExemptKeyList?.length || op.feeScheduleKey) fail(Status.NOT_SUPPORTED, "topic custom fees (HIP-991)");

  // preHandle
  if (op.adminKey && !isValidKey(op.adminKey)) fail(Status.BAD_ENCODING, "admin key");
  let autoRenewAccount: string | undefined;
  if (op.autoRenewAccount) {
    autoRenewAccount = accountIdOf(op.autoRenewAccount);
    requireAccount(ctx, autoRenewAccount, Status.INVALID_AUTORENEW_ACCOUNT);
  }
  // Signatures the preHandle required.
  if (op.adminKey) requireSignature(ctx, op.adminKey, "topic admin key");
  if (autoRenewAccount) requireSignature(ctx, ctx.state.accounts.get(autoRenewAccount)!.key, `auto-renew account ${autoRenewAccount}`);

  // handle: semantics
  if (op.submitKey && !isValidKey(op.submitKey)) fail(Status.BAD_ENCODING, "submit key");
  const memo = op.memo ?? "";
  validateMemo(memo);
  const autoRenewPeriod = toBigInt(op.autoRenewPeriod?.seconds);
  if (autoRenewPeriod < TOPIC_LIMITS.minAutoRenewSeconds || autoRenewPeriod > TOPIC_LIMITS.maxAutoRenewSeconds) fail(Status.AUTORENEW_DURATION_NOT_IN_RANGE);

  const id = ctx.newEntityId();
  ctx.state.topics.set(id, {
    id,
    memo,
    ...(op.adminKey ? { adminKey: op.adminKey } : {}),
    ...(op.submitKey ? { submitKey: op.submitKey } : {}),
    sequenceNumber: 0n,
    runningHash: new Uint8Array(RUNNING_HASH_BYTES),
    createdNanos: ctx.consensusNanos,
    messages: [],
    autoRenewPeriodSeconds: autoRenewPeriod,
    ...(autoRenewAccount ? { autoRenewAccount } : {}),
  });
  ctx.receipt.topicID = topicIdProto(id);
};
