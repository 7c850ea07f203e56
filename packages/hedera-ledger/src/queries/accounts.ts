import type { proto } from "@hashgraph/proto";
import { NANOS_PER_SECOND, Status, accountIdOf, accountIdProto, fail, nanosToTimestamp, toLong, tokenIdProto } from "../codec.js";

const AUTO_RENEW_SECONDS = 7_776_000n; // 90 days, Hedera's default
import type { Ledger } from "../ledger.js";

function account(ledger: Ledger, id: proto.IAccountID | null | undefined) {
  const accountId = accountIdOf(id);
  const state = accountId ? ledger.state.accounts.get(accountId) : undefined;
  if (!state) return fail(Status.INVALID_ACCOUNT_ID);
  if (state.deleted) return fail(Status.ACCOUNT_DELETED);
  return state;
}

/** CryptoGetAccountBalance (free). Token balances are left empty, as HIP-367 made consensus nodes do. */
export function accountBalance(ledger: Ledger, query: { accountID?: proto.IAccountID | null }) {
  const state = account(ledger, query.accountID);
  return { accountID: accountIdProto(state.id), balance: toLong(state.balance) };
}

/** CryptoGetInfo (paid). */
export function accountInfo(ledger: Ledger, query: { accountID?: proto.IAccountID | null }) {
  const state = account(ledger, query.accountID);
  return {
    accountInfo: {
      accountID: accountIdProto(state.id),
      key: state.key,
      balance: toLong(state.balance),
      deleted: state.deleted,
      receiverSigRequired: state.receiverSigRequired,
      memo: state.memo,
      maxAutomaticTokenAssociations: state.maxAutoAssociations,
      tokenRelationships: [...state.tokens.entries()].map(([token, balance]) => ({
        tokenId: tokenIdProto(token),
        balance: toLong(balance),
        decimals: ledger.state.tokens.get(token)?.decimals ?? 0,
        symbol: ledger.state.tokens.get(token)?.symbol ?? "",
      })),
      autoRenewPeriod: { seconds: toLong(AUTO_RENEW_SECONDS) },
      // The SDK requires an expiry; accounts here never expire, so report creation + one renewal period.
      expirationTime: nanosToTimestamp(state.createdNanos + AUTO_RENEW_SECONDS * NANOS_PER_SECOND),
      ledgerId: new Uint8Array([3]),
    },
  };
}
