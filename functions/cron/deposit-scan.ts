import { creditDeposits } from "@tensornode/core";
import type { ScheduledEvent } from "aws-lambda";
import { lambda } from "../lib/lambda.js";
import { getServices, treasuryAccountId } from "../lib/services.js";

/** EventBridge schedule: credits new HBAR deposits to the treasury (memo = account id) to their accounts. */
export const handler = lambda(async (_event: ScheduledEvent) => {
  const s = getServices();
  const treasury = await treasuryAccountId();
  if (!treasury) {
    s.logger.warn("deposit scan skipped: TREASURY_ACCOUNT_ID is not set");
    return { credited: 0, skipped: 0 };
  }
  return creditDeposits({ accounts: s.accounts, ledger: await s.deposits(), treasuryAccountId: treasury, logger: s.logger });
});
