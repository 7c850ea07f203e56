import type { proto } from "@hashgraph/proto";
import { Status, fail, scheduleIdOf, scheduleIdProto } from "../codec.js";
import { isSatisfied } from "../keys.js";
import type { TransactionHandler } from "./context.js";
import { validSchedule } from "./schedule-sign.js";

/** ScheduleDelete costs USD 0.001: the ledger's base fee. */
export const SCHEDULE_DELETE_FEE = 100_000n; // a literal: importing BASE_FEE from the registry would be an import cycle

/** ScheduleDeleteHandler.pureChecks: a schedule id. */
export function precheckScheduleDelete(body: proto.ITransactionBody): void {
  if (!scheduleIdOf(body.scheduleDelete?.scheduleID)) fail(Status.INVALID_SCHEDULE_ID);
}

/**
 * ScheduleDelete (ScheduleDeleteHandler): a pending schedule (see `validSchedule`) with an admin
 * key (SCHEDULE_IS_IMMUTABLE otherwise) that signed (INVALID_SIGNATURE, a pre-handle key) is marked
 * deleted; it stays visible to ScheduleGetInfo with its deletion time until it expires.
 */
export const scheduleDelete: TransactionHandler = (ctx) => {
  precheckScheduleDelete(ctx.body);
  const schedule = validSchedule(ctx, ctx.body.scheduleDelete!.scheduleID);
  if (!schedule.adminKey) fail(Status.SCHEDULE_IS_IMMUTABLE, schedule.id);
  if (!isSatisfied(schedule.adminKey, ctx.signers)) fail(Status.INVALID_SIGNATURE, "the schedule's admin key must sign");

  schedule.deletedNanos = ctx.consensusNanos;
  ctx.receipt.scheduleID = scheduleIdProto(schedule.id);
};
