import { proto } from "@hashgraph/proto";
import { Status, accountIdProto, fail, toLong, tokenIdOf, tokenIdProto } from "../codec.js";
import type { Ledger } from "../ledger.js";

/** TokenGetInfo costs 0.0001 ℏ here (paid query; Hedera: USD 0.0001). */
export const TOKEN_INFO_COST = 10_000n;

/**
 * TokenGetInfo (paid): a fungible token's name, symbol, decimals, supply, treasury, keys, memo and
 * expiry. Freeze/KYC/pause statuses are "not applicable" unless the token has the matching key, as
 * on Hedera (this ledger implements no freeze, KYC or pause operation).
 */
export function tokenInfo(ledger: Ledger, query: { token?: proto.ITokenID | null }) {
  const id = tokenIdOf(query.token);
  const token = (id ? ledger.state.tokens.get(id) : undefined) ?? fail(Status.INVALID_TOKEN_ID);
  return {
    tokenInfo: {
      tokenId: tokenIdProto(token.id),
      name: token.name,
      symbol: token.symbol,
      decimals: token.decimals,
      totalSupply: toLong(token.totalSupply),
      treasury: accountIdProto(token.treasury),
      adminKey: token.adminKey ?? null,
      kycKey: null,
      freezeKey: token.freezeKey ?? null,
      wipeKey: token.wipeKey ?? null,
      supplyKey: token.supplyKey ?? null,
      feeScheduleKey: token.feeScheduleKey ?? null,
      pauseKey: token.pauseKey ?? null,
      metadataKey: token.metadataKey ?? null,
      defaultFreezeStatus: token.freezeKey ? proto.TokenFreezeStatus.Unfrozen : proto.TokenFreezeStatus.FreezeNotApplicable,
      defaultKycStatus: proto.TokenKycStatus.KycNotApplicable,
      pauseStatus: token.pauseKey ? proto.TokenPauseStatus.Unpaused : proto.TokenPauseStatus.PauseNotApplicable,
      deleted: false,
      ...(token.autoRenewAccount ? { autoRenewAccount: accountIdProto(token.autoRenewAccount) } : {}),
      ...(token.autoRenewPeriodSeconds !== undefined ? { autoRenewPeriod: { seconds: toLong(token.autoRenewPeriodSeconds) } } : {}),
      ...(token.expirySeconds !== undefined ? { expiry: { seconds: toLong(token.expirySeconds), nanos: 0 } } : {}),
      memo: token.memo,
      tokenType: proto.TokenType.FUNGIBLE_COMMON,
      supplyType: token.maxSupply !== undefined ? proto.TokenSupplyType.FINITE : proto.TokenSupplyType.INFINITE,
      maxSupply: toLong(token.maxSupply ?? 0n),
      customFees: [],
      ledgerId: new Uint8Array([3]),
      metadata: token.metadata ?? new Uint8Array(),
    },
  };
}
