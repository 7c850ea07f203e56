import type { AccountStore } from "../ports/accounts.js";
import type { Ledger } from "../ports/ledger.js";
import type { Logger } from "../ports/logger.js";

/** The memo format of a deposit: the Hedera account id of the TensorNode account to credit. */
const HEDERA_ACCOUNT_ID = /^\d{1,10}\.\d{1,10}\.\d{1,19}$/;

export interface CreditDepositsDeps {
  accounts: AccountStore;
  ledger: Pick<Ledger, "depositsTo">;
  treasuryAccountId: string;
  logger: Logger;
}

/**
 * Scans the treasury's incoming transfers (mirror node) since the last scan and credits each one
 * whose memo names an account. Crediting is keyed by transaction id, so a rescan after a crash
 * credits nothing twice; the cursor only advances past deposits that were handled. A deposit for an
 * account that is not open yet is held on it and counts once it opens (a developer may well pay
 * first). A transfer whose memo names no Hedera account is logged and skipped: the treasury keeps
 * it and support can refund it.
 */
export async function creditDeposits(deps: CreditDepositsDeps, options: { pageSize?: number; maxPages?: number } = {}): Promise<{ credited: number; skipped: number }> {
  let cursor = await deps.accounts.depositCursor();
  let credited = 0;
  let skipped = 0;
  for (let page = 0; page < (options.maxPages ?? 20); page++) {
    const { deposits, scannedUntil, more } = await deps.ledger.depositsTo(deps.treasuryAccountId, cursor, options.pageSize ?? 100);
    for (const deposit of deposits) {
      const accountId = deposit.memo.trim();
      if (deposit.amount <= 0n || !HEDERA_ACCOUNT_ID.test(accountId)) {
        skipped++;
        deps.logger.warn("deposit whose memo names no account", { transactionId: deposit.transactionId, from: deposit.from, memo: deposit.memo, amount: deposit.amount.toString() });
      } else if (
        await deps.accounts.creditDeposit({
          accountId,
          transactionId: deposit.transactionId,
          from: deposit.from,
          amountTinybars: deposit.amount,
          consensusTimestamp: deposit.consensusTimestamp,
        })
      ) {
        credited++;
        const open = (await deps.accounts.get(accountId)) !== null;
        deps.logger.info(open ? "deposit credited" : "deposit held until the account is opened", { accountId, transactionId: deposit.transactionId, amount: deposit.amount.toString() });
      }
      cursor = deposit.consensusTimestamp;
      await deps.accounts.saveDepositCursor(cursor);
    }
    // Pages of payouts hold no deposits: move past them too, or the scan would read them forever.
    if (scannedUntil && scannedUntil !== cursor) {
      cursor = scannedUntil;
      await deps.accounts.saveDepositCursor(cursor);
    }
    if (!more) break;
  }
  return { credited, skipped };
}
