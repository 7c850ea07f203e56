import { DomainError } from "../shared/errors.js";
import { TtlCache } from "../shared/ttl-cache.js";
import type { AccountStore } from "../ports/accounts.js";
import type { Clock } from "../ports/clock.js";
import type { AccountRecord } from "../accounts/account.js";
import type { Principal } from "../auth/authenticate.js";
import type { UsageMeter } from "./usage-meter.js";

/** 402 for a request the account could pay for if its other requests in flight were not holding the money. */
export const reservedInFlight = (cost?: bigint) =>
  new DomainError(
    "payment_required",
    cost === undefined
      ? "Your requests in flight have reserved what your account can spend; retry when they finish, or deposit HBAR to the treasury."
      : `Your requests in flight have reserved what your account can spend; this one may cost up to ${cost} tinybars. Retry when they finish, or deposit HBAR to the treasury.`,
  );

/**
 * Refuses work an account cannot pay for (402) before it is dispatched. Balances are read through a
 * short-lived cache and lowered by the charges still being written, so the hot path usually makes
 * no store call; the price of that is that an account may overspend by what it runs within one TTL.
 */
export class SpendingGuard {
  readonly #accounts: TtlCache<string, AccountRecord | null>;

  constructor(private readonly deps: { accounts: AccountStore; meter: UsageMeter; clock: Clock }, options: { ttlMs?: number } = {}) {
    this.#accounts = new TtlCache({ ttlMs: options.ttlMs ?? 2_000, clock: deps.clock });
  }

  async assertCanSpend(principal: Principal): Promise<void> {
    const account = await this.#accounts.get(principal.ownerId, (id) => this.deps.accounts.get(id));
    if (!account) throw new DomainError("payment_required", `Account ${principal.ownerId} has no balance. Deposit HBAR to the treasury with memo '${principal.ownerId}'.`, null);
    const available = account.balanceTinybars - this.deps.meter.pendingForOwner(principal.ownerId);
    if (available <= 0n && available + this.deps.meter.reservedForOwner(principal.ownerId) > 0n) {
      throw reservedInFlight();
    }
    if (available <= 0n) {
      throw new DomainError("payment_required", `Your balance is used up (${available} tinybars). Deposit HBAR to the treasury with memo '${principal.ownerId}'.`);
    }
    if (principal.spendLimitTinybars !== undefined) {
      const spent = principal.spentTinybars + this.deps.meter.pendingForKey(principal.keyHash);
      if (spent >= principal.spendLimitTinybars) {
        throw new DomainError("payment_required", `This API key reached its spending limit of ${principal.spendLimitTinybars} tinybars.`);
      }
    }
  }

  /**
   * Reads the account's (cached) balance once; the returned function tells, synchronously, what the
   * account and the key can still spend at that moment: the balance and the key's spending limit,
   * less the charges not yet written and the reservations of requests in flight. Synchronous so a
   * caller can check and reserve with nothing running in between.
   */
  async spendable(principal: Principal): Promise<() => bigint> {
    const account = await this.#accounts.get(principal.ownerId, (id) => this.deps.accounts.get(id));
    const balance = account?.balanceTinybars ?? 0n;
    return () => {
      const forAccount = balance - this.deps.meter.pendingForOwner(principal.ownerId);
      if (principal.spendLimitTinybars === undefined) return forAccount;
      const forKey = principal.spendLimitTinybars - principal.spentTinybars - this.deps.meter.pendingForKey(principal.keyHash);
      return forKey < forAccount ? forKey : forAccount;
    };
  }

  /** A charge landed: lower the cached balance by what it cost (its pending amount was just released). */
  noteCharged(ownerId: string, cost: bigint): void {
    // `update`, not `set`: refreshing the TTL on every charge would hide deposits and other
    // instances' charges for as long as traffic keeps flowing.
    this.#accounts.update(ownerId, (cached) => cached && { ...cached, balanceTinybars: cached.balanceTinybars - cost });
  }

  /** After a deposit, the next check reads the store again. */
  forget(ownerId: string): void {
    this.#accounts.invalidate(ownerId);
  }
}
