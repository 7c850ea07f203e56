import { proto } from "@hashgraph/proto";
import {
  NANOS_PER_SECOND,
  Status,
  accountIdOf,
  fail,
  scheduleIdProto,
  toBigInt,
  type Nanos,
} from "../codec.js";
import { isSatisfied, isValidKey } from "../keys.js";
import type { LedgerState, ScheduleState } from "../state.js";
import type { TransactionHandler } from "./context.js";
import { TRANSACTION_TYPES } from "./index.js";
import {
  DEFAULT_SCHEDULE_LIFETIME_SECONDS,
  MAX_EXPIRATION_FUTURE_SECONDS,
  expirySecond,
  isComplete,
  isPurged,
  isSchedulable,
  ordinaryBody,
  providedExpirationSecond,
  requiredKeys,
  schedulableType,
  usefulSigners,
} from "./schedule-keys.js";

/** ScheduleCreate costs USD 0.01: 0.01 ℏ at the ledger's flat rates. */
export const SCHEDULE_CREATE_FEE = 1_000_000n;

const MAX_MEMO_BYTES = 100;

function checkMemo(memo: string | null | undefined) {
  const bytes = Buffer.from(memo ?? "", "utf8");
  if (bytes.length > MAX_MEMO_BYTES) fail(Status.MEMO_TOO_LONG);
  if (bytes.includes(0)) fail(Status.INVALID_ZERO_BYTE_IN_STRING);
}

/** ScheduleCreateHandler.pureChecks: an inner transaction, and an expiration time when waiting for it. */
export function precheckScheduleCreate(body: proto.ITransactionBody): void {
  const op = body.scheduleCreate!;
  if (!op.scheduledTransactionBody) fail(Status.INVALID_TRANSACTION, "no scheduled transaction body");
  if (op.waitForExpiry && !op.expirationTime) fail(Status.MISSING_EXPIRY_TIME, "wait_for_expiry needs an expiration_time");
}

/** The scheduled transaction id: the create's id with `scheduled = true` (Hedera's `scheduledTxnIdFrom`). */
export function scheduledTransactionId(createId: proto.ITransactionID): proto.ITransactionID {
  return proto.TransactionID.create({
    accountID: createId.accountID,
    transactionValidStart: createId.transactionValidStart,
    scheduled: true,
    ...(createId.nonce ? { nonce: createId.nonce } : {}),
  });
}

const keyBytes = (key: proto.IKey | undefined | null) => (key ? Buffer.from(proto.Key.encode(key).finish()) : Buffer.alloc(0));

/**
 * Hedera's identity of schedules (ScheduleCreateHandler.areIdentical / ScheduleStoreUtility):
 * same inner body, memo, admin key, provided expiration second and wait_for_expiry. Hedera does
 * not compare payer or creator ("mono doesn't, so we cannot either"). Any schedule not yet purged
 * counts, executed or deleted ones too: they stay until their expiry purges them.
 */
function findIdentical(state: LedgerState, candidate: { bodyBytes: Uint8Array; memo: string; adminKey?: proto.IKey | null; provided: bigint; waitForExpiry: boolean }, now: Nanos): ScheduleState | undefined {
  const admin = keyBytes(candidate.adminKey);
  for (const schedule of state.schedules.values()) {
    if (isPurged(state, schedule) || expirySecond(schedule) <= now / NANOS_PER_SECOND) continue; // purged
    if (
      schedule.waitForExpiry === candidate.waitForExpiry &&
      (providedExpirationSecond.get(schedule) ?? 0n) === candidate.provided &&
      schedule.memo === candidate.memo &&
      keyBytes(schedule.adminKey).equals(admin) &&
      Buffer.from(schedule.bodyBytes).equals(Buffer.from(candidate.bodyBytes))
    )
      return schedule;
  }
  return undefined;
}

/**
 * ScheduleCreate (HIP-423). Checks in Hedera's order — pre-handle: memo, designated payer
 * (ACCOUNT_ID_DOES_NOT_EXIST), whitelist, the inner transaction's own pure checks (their status),
 * its required keys (UNRESOLVABLE_REQUIRED_SIGNERS), the admin key's signature; handle: expiration
 * (…_MUST_BE_HIGHER_THAN_CONSENSUS_TIME / …_TOO_FAR_IN_FUTURE), inner memo, admin key validity,
 * identical schedule (IDENTICAL_SCHEDULE_ALREADY_CREATED, with the existing schedule's ids in the
 * receipt). Then the schedule is stored with the create's useful signatures and, when they already
 * satisfy every required key and it does not wait for expiry, executed at once.
 */
export const scheduleCreate: TransactionHandler = (ctx) => {
  const op = ctx.body.scheduleCreate!;
  precheckScheduleCreate(ctx.body);
  const inner = op.scheduledTransactionBody!;
  const type = schedulableType(inner);
  const createId = ctx.body.transactionID!;
  const creator = accountIdOf(createId.accountID)!;

  // --- Hedera's preHandle ---
  checkMemo(op.memo);
  let payer = creator;
  if (op.payerAccountID) {
    const designated = accountIdOf(op.payerAccountID);
    if (!designated || !ctx.state.accounts.has(designated)) fail(Status.ACCOUNT_ID_DOES_NOT_EXIST, `payer ${designated ?? "(none)"}`);
    payer = designated!;
  }
  if (!isSchedulable(type)) fail(Status.SCHEDULED_TRANSACTION_NOT_IN_WHITELIST, type ?? "(no transaction)");
  const scheduledId = scheduledTransactionId(createId);
  TRANSACTION_TYPES[type!]!.precheck?.(ordinaryBody(inner, scheduledId, ctx.body.nodeAccountID));
  const keys = requiredKeys(inner, payer, ctx.state);
  if (op.adminKey) {
    if (!isValidKey(op.adminKey)) fail(Status.INVALID_ADMIN_KEY);
    if (!isSatisfied(op.adminKey, ctx.signers)) fail(Status.INVALID_SIGNATURE, "the admin key must sign");
  }

  // --- Hedera's handle ---
  const nowSecond = ctx.consensusNanos / NANOS_PER_SECOND;
  const provided = op.expirationTime ? toBigInt(op.expirationTime.seconds) : 0n;
  const expiry = op.expirationTime ? provided : nowSecond + DEFAULT_SCHEDULE_LIFETIME_SECONDS;
  if (expiry <= nowSecond) fail(Status.SCHEDULE_EXPIRATION_TIME_MUST_BE_HIGHER_THAN_CONSENSUS_TIME);
  if (expiry > nowSecond + MAX_EXPIRATION_FUTURE_SECONDS) fail(Status.SCHEDULE_EXPIRATION_TIME_TOO_FAR_IN_FUTURE);
  checkMemo(inner.memo);
  const bodyBytes = proto.SchedulableTransactionBody.encode(inner).finish();
  const waitForExpiry = Boolean(op.waitForExpiry);
  const memo = op.memo ?? "";
  const identical = findIdentical(ctx.state, { bodyBytes, memo, adminKey: op.adminKey, provided, waitForExpiry }, ctx.consensusNanos);
  if (identical) {
    ctx.receipt.scheduleID = scheduleIdProto(identical.id);
    ctx.receipt.scheduledTransactionID = identical.scheduledTransactionId;
    fail(Status.IDENTICAL_SCHEDULE_ALREADY_CREATED, identical.id);
  }

  // --- apply ---
  const id = ctx.newEntityId();
  const schedule: ScheduleState = {
    id,
    creator,
    payer,
    memo,
    ...(op.adminKey ? { adminKey: op.adminKey } : {}),
    bodyBytes,
    signers: usefulSigners(new Set(), ctx.signers, keys),
    scheduledTransactionId: scheduledId,
    expirationNanos: expiry * NANOS_PER_SECOND,
    waitForExpiry,
    createdNanos: ctx.consensusNanos,
  };
  ctx.state.schedules.set(id, schedule);
  providedExpirationSecond.set(schedule, provided);
  ctx.receipt.scheduleID = scheduleIdProto(id);
  ctx.receipt.scheduledTransactionID = scheduledId;
  if (!waitForExpiry && isComplete(keys, schedule.signers)) ctx.executeScheduled(id);
};
