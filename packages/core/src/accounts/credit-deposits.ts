import type { AccountStore } from "../ports/accounts.js";
import type { Ledger } from "../ports/ledger.js";
import type { Logger } from "../ports/logger.js";

export interface CreditDepositsDeps {
  accounts: AccountStore;
  ledger: Pick<Ledger, "depositsTo">;
  treasuryAccountId: string;
  logger: Logger;
}

/**
 * Scans the treasury's incoming transfers (mirror node) since the last scan and credits each one
 * whose memo names an account. Crediting is keyed by transaction id, so a rescan after a crash
 * credits nothing twice; the cursor only advances past deposits that were handled. A transfer with
 * no matching account is logged and skipped (the treasury keeps it; support can refund it).
 */
export async function creditDeposits(deps: CreditDepositsDeps, options: { pageSize?: number; maxPages?: number } = {}): Promise<{ credited: number; skipped: number }> {
  let cursor = await deps.accounts.depositCursor();
  let credited = 0;
  let skipped = 0;
  for (let page = 0; page < (options.maxPages ?? 20); page++) {
    const { deposits, scannedUntil, more } = await deps.ledger.depositsTo(deps.treasuryAccountId, cursor, options.pageSize ?? 100);
    for (const deposit of deposits) {
      const accountId = deposit.memo.trim();
      const account = deposit.amount > 0n && accountId ? await deps.accounts.get(accountId) : null;
      if (!account) {
        skipped++;
        deps.logger.warn("deposit with no matching account", { transactionId: deposit.transactionId, from: deposit.from, memo: deposit.memo, amount: deposit.amount.toString() });
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
        deps.logger.info("deposit credited", { accountId, transactionId: deposit.transactionId, amount: deposit.amount.toString() });
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
