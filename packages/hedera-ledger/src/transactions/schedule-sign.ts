import { proto } from "@hashgraph/proto";
import { NANOS_PER_SECOND, Status, fail, scheduleIdOf } from "../codec.js";
import type { ScheduleState } from "../state.js";
import type { HandleContext, TransactionHandler } from "./context.js";
import { expirySecond, isComplete, isPurged, requiredKeys, usefulSigners } from "./schedule-keys.js";

/** ScheduleSign costs USD 0.001: the ledger's base fee. */
export const SCHEDULE_SIGN_FEE = 100_000n; // a literal: importing BASE_FEE from the registry would be an import cycle

/** ScheduleSignHandler.pureChecks: a schedule id. */
export function precheckScheduleSign(body: proto.ITransactionBody): void {
  if (!scheduleIdOf(body.scheduleSign?.scheduleID)) fail(Status.INVALID_SCHEDULE_ID);
}

/**
 * A schedule that ScheduleSign/ScheduleDelete may act on (AbstractScheduleHandler.validate):
 * unknown or already purged → INVALID_SCHEDULE_ID, then SCHEDULE_ALREADY_EXECUTED,
 * SCHEDULE_ALREADY_DELETED, and SCHEDULE_PENDING_EXPIRATION for one past its expiry second that
 * has not been purged yet (the ledger purges before every transaction, so in practice an expired
 * schedule answers INVALID_SCHEDULE_ID, as on Hedera).
 */
export function validSchedule(ctx: HandleContext, id: proto.IScheduleID | null | undefined): ScheduleState {
  const scheduleId = scheduleIdOf(id);
  const schedule = scheduleId ? ctx.state.schedules.get(scheduleId) : undefined;
  if (!schedule || isPurged(ctx.state, schedule)) return fail(Status.INVALID_SCHEDULE_ID, scheduleId);
  if (schedule.executedNanos !== undefined) fail(Status.SCHEDULE_ALREADY_EXECUTED, scheduleId);
  if (schedule.deletedNanos !== undefined) fail(Status.SCHEDULE_ALREADY_DELETED, scheduleId);
  if (expirySecond(schedule) < ctx.consensusNanos / NANOS_PER_SECOND) fail(Status.SCHEDULE_PENDING_EXPIRATION, scheduleId);
  return schedule;
}

/**
 * ScheduleSign (ScheduleSignHandler): adds the transaction's verified signatures that belong to a
 * required key of the inner transaction. With them complete and no wait_for_expiry, the inner
 * transaction runs now; otherwise a sign that adds nothing is NO_NEW_VALID_SIGNATURES. The receipt
 * carries the scheduled transaction id (Hedera sets it on every successful sign).
 */
export const scheduleSign: TransactionHandler = (ctx) => {
  precheckScheduleSign(ctx.body);
  const schedule = validSchedule(ctx, ctx.body.scheduleSign!.scheduleID);
  const keys = requiredKeys(proto.SchedulableTransactionBody.decode(schedule.bodyBytes), schedule.payer, ctx.state);
  const signers = usefulSigners(schedule.signers, ctx.signers, keys);
  const execute = !schedule.waitForExpiry && isComplete(keys, signers);
  if (!execute && signers.size === schedule.signers.size) fail(Status.NO_NEW_VALID_SIGNATURES);

  schedule.signers = signers;
  ctx.receipt.scheduledTransactionID = schedule.scheduledTransactionId;
  if (execute) ctx.executeScheduled(schedule.id);
};
