import type { proto } from "@hashgraph/proto";
import { Status, accountIdOf, accountIdProto, fail, toLong, tokenIdProto } from "../codec.js";
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
      autoRenewPeriod: { seconds: toLong(7_776_000n) },
      ledgerId: new Uint8Array([3]),
    },
  };
}
