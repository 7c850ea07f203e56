import { proto } from "@hashgraph/proto";
import { NANOS_PER_SECOND, Status, accountIdOf, fail, toBigInt, tokenIdProto } from "../codec.js";
import { isValidKey } from "../keys.js";
import type Long from "long";
import type { AccountState } from "../state.js";
import { adjustToken, requireSignature, type HandleContext, type TransactionHandler } from "./context.js";

/**
 * Flat fee of TokenCreate: 1 ℏ (100,000,000 tinybars). Hedera prices a fungible TokenCreate at
 * USD 1 (docs.hedera.com, "Fees"); this ledger has no exchange rate and charges 1 ℏ flat.
 */
export const TOKEN_CREATE_FEE = 100_000_000n;

/** Token limits (hiero-consensus-node TokensConfig, EntitiesConfig, LedgerConfig). */
export const TOKEN_LIMITS = {
  /** `tokens.maxTokenNameUtf8Bytes`, `tokens.maxSymbolUtf8Bytes`. */
  nameBytes: 100,
  symbolBytes: 100,
  /** `hedera.transaction.maxMemoUtf8Bytes`. */
  memoBytes: 100,
  /** `tokens.maxMetadataBytes`. */
  metadataBytes: 100,
  /** `tokens.maxPerAccount`: associations per account. */
  perAccount: 1_000,
  /** `ledger.autoRenewPeriod.minDuration` / `maxDuration` (seconds). */
  minAutoRenewSeconds: 2_592_000n,
  maxAutoRenewSeconds: 8_000_001n,
  /** `entities.maxLifetime` (seconds). */
  maxLifetimeSeconds: 3_153_600_000n,
} as const;

const INT32_MAX = 2_147_483_647;

/** `initialSupply` is a proto uint64 that Hedera reads as a signed Java long: 2^64 - 1 means -1. */
const signedSupply = (value: Long | number | null | undefined) => BigInt.asIntN(64, toBigInt(value));

/** The empty KeyList (`IMMUTABILITY_SENTINEL_KEY`): accepted for any token key, means "no key". */
export const isImmutabilitySentinel = (key: proto.IKey | null | undefined) => Boolean(key?.keyList && (key.keyList.keys ?? []).length === 0);

/** Hedera's `tokenStringCheck`: present, at most `maxBytes` UTF-8 bytes, no NUL. */
function checkTokenString(value: string | null | undefined, maxBytes: number, missing: Status, tooLong: Status) {
  const bytes = Buffer.byteLength(value ?? "", "utf8");
  if (bytes === 0) fail(missing);
  if (bytes > maxBytes) fail(tooLong);
  if (value!.includes("\u0000")) fail(Status.INVALID_ZERO_BYTE_IN_STRING);
}

/**
 * TokenCreateValidator.pureChecks, answered at precheck. Unsupported here (answered NOT_SUPPORTED):
 * NON_FUNGIBLE_UNIQUE tokens, KYC keys (every new association would lack KYC), accounts frozen by
 * default, and custom fees — the transfer path does not enforce any of them.
 */
export function precheckTokenCreate(body: proto.ITransactionBody): void {
  const op = body.tokenCreation!;
  const type = op.tokenType ?? proto.TokenType.FUNGIBLE_COMMON;
  if (type === proto.TokenType.NON_FUNGIBLE_UNIQUE) fail(Status.NOT_SUPPORTED, "non-fungible tokens");
  if (type !== proto.TokenType.FUNGIBLE_COMMON) fail(Status.NOT_SUPPORTED, `token type ${type}`);
  const initialSupply = signedSupply(op.initialSupply);
  const maxSupply = toBigInt(op.maxSupply);
  if (initialSupply < 0n) fail(Status.INVALID_TOKEN_INITIAL_SUPPLY);
  if ((op.decimals ?? 0) > INT32_MAX) fail(Status.INVALID_TOKEN_DECIMALS);
  const supplyType = op.supplyType ?? proto.TokenSupplyType.INFINITE;
  if (supplyType === proto.TokenSupplyType.INFINITE) {
    if (maxSupply !== 0n) fail(Status.INVALID_TOKEN_MAX_SUPPLY, "an INFINITE token has no max supply");
  } else if (supplyType === proto.TokenSupplyType.FINITE) {
    if (maxSupply <= 0n) fail(Status.INVALID_TOKEN_MAX_SUPPLY);
  } else {
    fail(Status.NOT_SUPPORTED, `supply type ${supplyType}`);
  }
  if (maxSupply > 0n && initialSupply > maxSupply) fail(Status.INVALID_TOKEN_INITIAL_SUPPLY);
  if (!op.treasury) fail(Status.INVALID_TREASURY_ACCOUNT_FOR_TOKEN);
  if (op.autoRenewAccount && !(op.autoRenewPeriod && toBigInt(op.autoRenewPeriod.seconds) >= 0n)) fail(Status.INVALID_RENEWAL_PERIOD);
  if (op.freezeDefault && !op.freezeKey) fail(Status.TOKEN_HAS_NO_FREEZE_KEY);
  // Limits of this ledger, not of Hedera.
  if (op.kycKey && !isImmutabilitySentinel(op.kycKey)) fail(Status.NOT_SUPPORTED, "KYC keys");
  if (op.freezeDefault) fail(Status.NOT_SUPPORTED, "freeze by default");
  if ((op.customFees ?? []).length > 0) fail(Status.NOT_SUPPORTED, "custom fees");
}

/** Key fields of TokenCreate and the status Hedera gives for a malformed one (TokenAttributesValidator). */
const TOKEN_KEYS = [
  ["adminKey", Status.INVALID_ADMIN_KEY],
  ["kycKey", Status.INVALID_KYC_KEY],
  ["wipeKey", Status.INVALID_WIPE_KEY],
  ["supplyKey", Status.INVALID_SUPPLY_KEY],
  ["freezeKey", Status.INVALID_FREEZE_KEY],
  ["feeScheduleKey", Status.INVALID_CUSTOM_FEE_SCHEDULE_KEY],
  ["pauseKey", Status.INVALID_PAUSE_KEY],
  ["metadataKey", Status.INVALID_METADATA_KEY],
] as const;

/** Can one more token be associated to this account (`tokens.maxPerAccount`)? */
export function checkAssociationRoom(account: AccountState, more: number): void {
  if (account.tokens.size + more > TOKEN_LIMITS.perAccount) fail(Status.TOKENS_PER_ACCOUNT_LIMIT_EXCEEDED, account.id);
}

const keyOrUndefined = (key: proto.IKey | null | undefined) => (key ? { ...key } : undefined);

/**
 * TokenCreate of a fungible token, in hiero-consensus-node TokenCreateHandler's order: preHandle
 * (treasury and auto-renew account exist; treasury, auto-renew account and admin key sign), then
 * handle (treasury usable, memo, symbol, name, keys, metadata, expiry, association room). The
 * treasury is associated (listed in the record's automatic associations, as Hedera does) and
 * credited the initial supply, which the record shows as a token transfer.
 */
export const tokenCreate: TransactionHandler = (ctx: HandleContext) => {
  const op = ctx.body.tokenCreation!;
  precheckTokenCreate(ctx.body); // scheduled bodies skip precheck

  // preHandle
  const treasuryId = accountIdOf(op.treasury);
  const treasury = treasuryId ? ctx.state.accounts.get(treasuryId) : undefined;
  // hiero-consensus-node: `requireKeyOrThrow(treasury, INVALID_ACCOUNT_ID)` ("should throw INVALID_TREASURY_ACCOUNT_FOR_TOKEN after modularization").
  if (!treasury) return fail(Status.INVALID_ACCOUNT_ID, `treasury ${treasuryId ?? "(none)"}`);
  let autoRenew: AccountState | undefined;
  if (op.autoRenewAccount) {
    const autoRenewId = accountIdOf(op.autoRenewAccount);
    autoRenew = autoRenewId ? ctx.state.accounts.get(autoRenewId) : undefined;
    if (!autoRenew) return fail(Status.INVALID_AUTORENEW_ACCOUNT, autoRenewId);
  }
  requireSignature(ctx, treasury.key, `treasury ${treasury.id}`);
  if (autoRenew) requireSignature(ctx, autoRenew.key, `auto-renew account ${autoRenew.id}`);
  if (op.adminKey && !isImmutabilitySentinel(op.adminKey)) requireSignature(ctx, op.adminKey, "admin key");

  // handle
  if (treasury.deleted) fail(Status.ACCOUNT_DELETED, `treasury ${treasury.id}`);
  const memo = op.memo ?? "";
  if (Buffer.byteLength(memo, "utf8") > TOKEN_LIMITS.memoBytes) fail(Status.MEMO_TOO_LONG);
  if (memo.includes("\u0000")) fail(Status.INVALID_ZERO_BYTE_IN_STRING);
  checkTokenString(op.symbol, TOKEN_LIMITS.symbolBytes, Status.MISSING_TOKEN_SYMBOL, Status.TOKEN_SYMBOL_TOO_LONG);
  checkTokenString(op.name, TOKEN_LIMITS.nameBytes, Status.MISSING_TOKEN_NAME, Status.TOKEN_NAME_TOO_LONG);
  for (const [field, status] of TOKEN_KEYS) {
    const key = op[field];
    if (key && !isImmutabilitySentinel(key) && !isValidKey(key)) fail(status);
  }
  if ((op.metadata?.length ?? 0) > TOKEN_LIMITS.metadataBytes) fail(Status.METADATA_TOO_LONG);

  // Expiry (ExpiryValidatorImpl.resolveCreationAttempt for TOKEN_CREATE).
  const nowSeconds = ctx.consensusNanos / NANOS_PER_SECOND;
  const period = op.autoRenewPeriod ? toBigInt(op.autoRenewPeriod.seconds) : undefined;
  if (autoRenew?.deleted) fail(Status.INVALID_AUTORENEW_ACCOUNT, autoRenew.id);
  const expiry = autoRenew && period !== undefined ? nowSeconds + period : toBigInt(op.expiry?.seconds);
  if (period !== undefined && (period < TOKEN_LIMITS.minAutoRenewSeconds || period > TOKEN_LIMITS.maxAutoRenewSeconds)) fail(Status.INVALID_RENEWAL_PERIOD);
  if (expiry <= nowSeconds || expiry > nowSeconds + TOKEN_LIMITS.maxLifetimeSeconds) fail(Status.INVALID_EXPIRATION_TIME);

  checkAssociationRoom(treasury, 1);

  // Apply.
  const id = ctx.newEntityId();
  const initialSupply = signedSupply(op.initialSupply);
  const maxSupply = toBigInt(op.maxSupply);
  ctx.state.tokens.set(id, {
    id,
    name: op.name!,
    symbol: op.symbol!,
    decimals: op.decimals ?? 0,
    totalSupply: initialSupply,
    treasury: treasury.id,
    memo,
    ...(op.adminKey ? { adminKey: { ...op.adminKey } } : {}),
    ...(op.supplyKey ? { supplyKey: { ...op.supplyKey } } : {}),
    createdNanos: ctx.consensusNanos,
    ...(maxSupply > 0n ? { maxSupply } : {}),
    ...Object.fromEntries(
      (["freezeKey", "wipeKey", "pauseKey", "feeScheduleKey", "metadataKey"] as const).filter((k) => op[k]).map((k) => [k, keyOrUndefined(op[k])]),
    ),
    ...(op.metadata?.length ? { metadata: Uint8Array.from(op.metadata) } : {}),
    ...(autoRenew ? { autoRenewAccount: autoRenew.id } : {}),
    ...(period !== undefined ? { autoRenewPeriodSeconds: period } : {}),
    expirySeconds: expiry,
  });
  treasury.tokens.set(id, 0n);
  ctx.execution.autoAssociations.push({ account: treasury.id, token: id });
  if (initialSupply > 0n) adjustToken(ctx, id, treasury.id, initialSupply);
  ctx.receipt.tokenID = tokenIdProto(id);
};
