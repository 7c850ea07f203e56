import type { AccountStore } from "../ports/accounts.js";
import type { Ledger } from "../ports/ledger.js";
import type { Logger } from "../ports/logger.js";

/**
 * The account a deposit's memo names, in the canonical form account ids have everywhere else
 * (`0.0.0123` is `0.0.123`), or undefined when the memo is not a Hedera account id.
 */
function canonicalAccountId(memo: string): string | undefined {
  const match = /^(\d{1,10})\.(\d{1,10})\.(\d{1,19})$/.exec(memo.trim());
  if (!match) return undefined;
  return `${BigInt(match[1]!)}.${BigInt(match[2]!)}.${BigInt(match[3]!)}`;
}

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
      const accountId = canonicalAccountId(deposit.memo);
      if (deposit.amount <= 0n || accountId === undefined) {
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
        const attributes = { accountId, transactionId: deposit.transactionId, amount: deposit.amount.toString() };
        if ((await deps.accounts.get(accountId)) !== null) deps.logger.info("deposit credited", attributes);
        // Worth an operator's eye: usually a developer paying before signing up, sometimes a mistyped memo.
        else deps.logger.warn("deposit held until the account is opened", { ...attributes, from: deposit.from, memo: deposit.memo });
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
