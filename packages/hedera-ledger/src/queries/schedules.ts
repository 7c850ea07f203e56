import { proto } from "@hashgraph/proto";
import { NANOS_PER_SECOND, Status, accountIdProto, fail, nanosToTimestamp, scheduleIdOf, scheduleIdProto } from "../codec.js";
import type { Ledger } from "../ledger.js";
import { expirySecond, isPurged, signerKey } from "../transactions/schedule-keys.js";

/** ScheduleGetInfo is paid, like the other info queries. */
export const SCHEDULE_INFO_COST = 10_000n;

/**
 * ScheduleGetInfo (ScheduleGetInfoHandler). A schedule is found until its expiry purges it
 * (INVALID_SCHEDULE_ID after that, as on Hedera). The expiration time is in whole seconds; the
 * signers are the primitive keys collected so far, sorted.
 */
export function scheduleInfo(ledger: Ledger, query: { scheduleID?: proto.IScheduleID | null }) {
  const id = scheduleIdOf(query.scheduleID);
  const found = id ? ledger.state.schedules.get(id) : undefined;
  const schedule = found && !isPurged(ledger.state, found) ? found : fail(Status.INVALID_SCHEDULE_ID);
  return {
    scheduleInfo: {
      scheduleID: scheduleIdProto(schedule.id),
      creatorAccountID: accountIdProto(schedule.creator),
      payerAccountID: accountIdProto(schedule.payer),
      scheduledTransactionBody: proto.SchedulableTransactionBody.decode(schedule.bodyBytes),
      signers: { keys: [...schedule.signers].sort().map(signerKey) },
      ...(schedule.adminKey ? { adminKey: schedule.adminKey } : {}),
      expirationTime: nanosToTimestamp(expirySecond(schedule) * NANOS_PER_SECOND),
      ...(schedule.executedNanos !== undefined ? { executionTime: nanosToTimestamp(schedule.executedNanos) } : {}),
      ...(schedule.deletedNanos !== undefined ? { deletionTime: nanosToTimestamp(schedule.deletedNanos) } : {}),
      memo: schedule.memo,
      scheduledTransactionID: schedule.scheduledTransactionId,
      waitForExpiry: schedule.waitForExpiry,
      ledgerId: new Uint8Array([3]),
    } satisfies proto.IScheduleInfo,
  };
}
