import type { ScheduleState } from "../../state.js";
import { acceptOnly, base64, invalidParameter, keyJson, mirrorTimestamp, notFound, parseEntityId, type RestRequest, type RestResponse } from "./common.js";

/**
 * `GET /api/v1/schedules/{scheduleId}` in the mirror's Schedule shape. The ledger keeps which keys
 * signed a schedule, not their signature bytes nor when each signed, so each entry carries the
 * public key (`public_key_prefix`, the whole key, base64), its type, `signature: null` and the
 * schedule's creation time.
 */
function signatureJson(schedule: ScheduleState, signer: string) {
  const [kind, hex] = signer.split(":");
  return {
    consensus_timestamp: mirrorTimestamp(schedule.createdNanos),
    public_key_prefix: Buffer.from(hex ?? "", "hex").toString("base64"),
    signature: null,
    type: kind === "ed25519" ? "ED25519" : kind === "ecdsa" ? "ECDSA_SECP256K1" : "UNKNOWN",
  };
}

export function getSchedule(request: RestRequest, raw: string): RestResponse {
  acceptOnly(request.query, []);
  const id = parseEntityId(raw);
  if (!id) throw invalidParameter("schedule.id");
  const schedule = request.ledger.state.schedules.get(id);
  if (!schedule) throw notFound();
  return {
    body: {
      admin_key: keyJson(schedule.adminKey),
      consensus_timestamp: mirrorTimestamp(schedule.createdNanos),
      creator_account_id: schedule.creator,
      deleted: schedule.deletedNanos !== undefined,
      executed_timestamp: mirrorTimestamp(schedule.executedNanos),
      expiration_time: mirrorTimestamp(schedule.expirationNanos),
      memo: schedule.memo,
      payer_account_id: schedule.payer,
      schedule_id: schedule.id,
      signatures: [...schedule.signers].map((signer) => signatureJson(schedule, signer)),
      transaction_body: base64(schedule.bodyBytes),
      wait_for_expiry: schedule.waitForExpiry,
    },
  };
}
