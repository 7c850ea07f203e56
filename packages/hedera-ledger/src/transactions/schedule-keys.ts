import { proto } from "@hashgraph/proto";
import { LedgerError, NANOS_PER_SECOND, Status, accountIdOf, fail, tokenIdOf, topicIdOf, type Nanos } from "../codec.js";
import { ecdsaSigner, ed25519Signer, isSatisfied, type SignerId, type Signers } from "../keys.js";
import type { LedgerState, ScheduleState } from "../state.js";
import { TRANSACTION_TYPES } from "./index.js";

/**
 * Scheduled transactions (HIP-423): which inner transactions may be scheduled, which keys they
 * need, and which of a transaction's signers a schedule keeps. Shared by ScheduleCreate,
 * ScheduleSign, ScheduleGetInfo and the ledger's expiry processing.
 */

/** `scheduling.maxExpirationFutureSeconds`: 62 days. */
export const MAX_EXPIRATION_FUTURE_SECONDS = 5_356_800n;
/** `ledger.scheduleTxExpiryTimeSecs`: a schedule without `expiration_time` expires after 30 minutes. */
export const DEFAULT_SCHEDULE_LIFETIME_SECONDS = 1_800n;

/**
 * `scheduling.whitelist` as hiero-consensus-node ships it (SchedulingConfig.java), by
 * `SchedulableTransactionBody` oneof name. TokenAssociate, TopicCreate, ScheduleDelete, TokenAirdrop
 * and the rest are not in it (SCHEDULED_TRANSACTION_NOT_IN_WHITELIST; Hedera's own
 * `scheduleCreateWithNonWhiteListedTransaction` test schedules a TokenAssociate and expects that
 * status). Live networks may override the property: add to this set to imitate such a network.
 * A type is schedulable here only if it is also implemented (TRANSACTION_TYPES) and its required
 * keys are known (REQUIRED_KEYS below).
 */
export const SCHEDULING_WHITELIST = new Set<string>([
  "consensusSubmitMessage",
  "cryptoTransfer",
  "tokenCreation",
  "tokenUpdate",
  "tokenMint",
  "tokenBurn",
  "cryptoCreateAccount",
  "cryptoUpdateAccount",
  "fileUpdate",
  "systemDelete",
  "systemUndelete",
  "freeze",
  "contractCall",
  "contractCreateInstance",
  "contractUpdateInstance",
  "contractDeleteInstance",
  "cryptoApproveAllowance",
  "nodeCreate",
  "nodeUpdate",
  "nodeDelete",
]);

/** The keys a transaction needs, as Hedera's pre-handle gathers them: the payer's and the others. */
export interface RequiredKeys {
  payerKey: proto.IKey;
  nonPayerKeys: proto.IKey[];
}

/** Any failure to resolve a key (missing account, topic, token) is UNRESOLVABLE_REQUIRED_SIGNERS, as in Hedera's `allKeysForTransaction`. */
const unresolvable = (detail: string): never => fail(Status.UNRESOLVABLE_REQUIRED_SIGNERS, detail);

function accountKey(state: LedgerState, id: proto.IAccountID | null | undefined): { key: proto.IKey; receiverSigRequired: boolean } {
  const accountId = accountIdOf(id);
  const account = accountId ? state.accounts.get(accountId) : undefined;
  if (!account || account.deleted) return unresolvable(`account ${accountId ?? "(none)"}`);
  return { key: account.key, receiverSigRequired: account.receiverSigRequired };
}

function transferKeys(state: LedgerState, adjustments: proto.IAccountAmount[] | null | undefined, keys: proto.IKey[]) {
  for (const aa of adjustments ?? []) {
    const { key, receiverSigRequired } = accountKey(state, aa.accountID);
    const amount = aa.amount ? BigInt(aa.amount.toString()) : 0n;
    if (amount < 0n || (amount > 0n && receiverSigRequired)) keys.push(key);
  }
}

type KeyRule = (body: proto.ISchedulableTransactionBody, state: LedgerState) => proto.IKey[];

/** Non-payer keys per inner transaction type (each handler's `preHandle` in hiero-consensus-node). */
const REQUIRED_KEYS: Record<string, KeyRule> = {
  /** Every debited account; a credited account only when it has receiverSigRequired. */
  cryptoTransfer: (body, state) => {
    const keys: proto.IKey[] = [];
    transferKeys(state, body.cryptoTransfer?.transfers?.accountAmounts, keys);
    for (const list of body.cryptoTransfer?.tokenTransfers ?? []) transferKeys(state, list.transfers, keys);
    return keys;
  },
  /** The topic's submit key, if it has one. */
  consensusSubmitMessage: (body, state) => {
    const id = topicIdOf(body.consensusSubmitMessage?.topicID);
    const topic = id ? state.topics.get(id) : undefined;
    if (!topic) return unresolvable(`topic ${id ?? "(none)"}`);
    return topic.submitKey ? [topic.submitKey] : [];
  },
  /** Nothing beyond the payer, except the new key itself when it asks for receiver signatures. */
  cryptoCreateAccount: (body) => {
    const op = body.cryptoCreateAccount;
    return op?.receiverSigRequired && op.key ? [op.key] : [];
  },
  /** The account being associated. */
  tokenAssociate: (body, state) => [accountKey(state, body.tokenAssociate?.account).key],
  /** The treasury, the admin key and the auto-renew account. */
  tokenCreation: (body, state) => {
    const op = body.tokenCreation;
    const keys = [accountKey(state, op?.treasury).key];
    if (op?.adminKey) keys.push(op.adminKey);
    if (op?.autoRenewAccount && accountIdOf(op.autoRenewAccount)) keys.push(accountKey(state, op.autoRenewAccount).key);
    return keys;
  },
  /** The token's supply key. */
  tokenMint: (body, state) => supplyKey(state, body.tokenMint?.token),
  tokenBurn: (body, state) => supplyKey(state, body.tokenBurn?.token),
};

function supplyKey(state: LedgerState, id: proto.ITokenID | null | undefined): proto.IKey[] {
  const tokenId = tokenIdOf(id);
  const token = tokenId ? state.tokens.get(tokenId) : undefined;
  if (!token) return unresolvable(`token ${tokenId ?? "(none)"}`);
  if (!token.supplyKey) return unresolvable(`token ${tokenId} has no supply key`);
  return [token.supplyKey];
}

/** The `SchedulableTransactionBody` oneof name (`cryptoTransfer`, ...), if any; plain objects are read through the codec's oneof getter too. */
export const schedulableType = (body: proto.ISchedulableTransactionBody): string | undefined =>
  ((body instanceof proto.SchedulableTransactionBody ? body : proto.SchedulableTransactionBody.create(body)) as { data?: string }).data;

/** Can this type be scheduled on this ledger? (whitelisted, implemented, keys known) */
export const isSchedulable = (type: string | undefined): boolean =>
  type !== undefined && SCHEDULING_WHITELIST.has(type) && type in TRANSACTION_TYPES && type in REQUIRED_KEYS;

/**
 * The keys an inner transaction needs when `payer` pays for it: the payer's key plus, per type,
 * the keys its handler will check. Throws LedgerError(UNRESOLVABLE_REQUIRED_SIGNERS) when a key
 * cannot be found (missing or deleted account, topic, token), as Hedera does.
 */
export function requiredKeys(body: proto.ISchedulableTransactionBody, payer: string, state: LedgerState): RequiredKeys {
  const payerAccount = state.accounts.get(payer);
  if (!payerAccount || payerAccount.deleted) return unresolvable(`payer ${payer}`);
  const rule = REQUIRED_KEYS[schedulableType(body) ?? ""];
  if (!rule) return unresolvable(`transaction type ${schedulableType(body) ?? "(none)"}`);
  return { payerKey: payerAccount.key, nonPayerKeys: rule(body, state) };
}

export const allKeys = (keys: RequiredKeys): proto.IKey[] => [keys.payerKey, ...keys.nonPayerKeys];

/** Are all required keys satisfied by these signers? Nested key lists and threshold keys count through `isSatisfied`. */
export const isComplete = (keys: RequiredKeys, signers: Signers): boolean => allKeys(keys).every((key) => isSatisfied(key, signers));

/** The primitive keys inside a key structure. */
function primitiveSigners(key: proto.IKey | null | undefined, into: Set<SignerId>, depth = 0): Set<SignerId> {
  if (!key || depth > 15) return into;
  if (key.ed25519?.length) into.add(ed25519Signer(key.ed25519));
  else if (key.ECDSASecp256k1?.length) into.add(ecdsaSigner(key.ECDSASecp256k1));
  else if (key.keyList) for (const k of key.keyList.keys ?? []) primitiveSigners(k, into, depth + 1);
  else if (key.thresholdKey) for (const k of key.thresholdKey.keys?.keys ?? []) primitiveSigners(k, into, depth + 1);
  return into;
}

/**
 * The signers a schedule keeps: its earlier ones plus those of `signers` that are primitive
 * constituents of a required key (Hedera's `newSignatories`); an unrelated signature is ignored.
 */
export function usefulSigners(previous: Signers, signers: Signers, keys: RequiredKeys): Set<SignerId> {
  const constituents = new Set<SignerId>();
  for (const key of allKeys(keys)) primitiveSigners(key, constituents);
  const result = new Set(previous);
  for (const signer of signers) if (constituents.has(signer)) result.add(signer);
  return result;
}

/** `ed25519:<hex>` / `ecdsa:<hex>` back to a Key (ScheduleGetInfo's signers). */
export function signerKey(signer: SignerId): proto.IKey {
  const [type, hex] = signer.split(":");
  const bytes = Buffer.from(hex ?? "", "hex");
  return type === "ecdsa" ? { ECDSASecp256k1: bytes } : { ed25519: bytes };
}

/** The inner transaction as an ordinary TransactionBody (Hedera's `childAsOrdinary`), for pure checks and execution. */
export function ordinaryBody(inner: proto.ISchedulableTransactionBody, transactionID: proto.ITransactionID, nodeAccountID: proto.IAccountID | null | undefined): proto.TransactionBody {
  const type = schedulableType(inner);
  return proto.TransactionBody.create({
    transactionID,
    ...(nodeAccountID ? { nodeAccountID } : {}),
    transactionFee: inner.transactionFee ?? undefined,
    memo: inner.memo ?? "",
    ...(type ? { [type]: (inner as Record<string, unknown>)[type] } : {}),
  });
}

/** A schedule's expiry second (Hedera keeps expirations in whole seconds). */
export const expirySecond = (schedule: ScheduleState): bigint => schedule.expirationNanos / NANOS_PER_SECOND;

/** Expiration time each schedule was created with (0 = none given), part of Hedera's identity check. */
export const providedExpirationSecond = new WeakMap<ScheduleState, bigint>();

/**
 * The last consensus second whose expiring schedules have been processed, per ledger state.
 * Hedera removes a schedule from state when its expiry second is processed; here it stays in
 * `state.schedules` (the mirror REST API keeps serving it, as a real mirror node does) and
 * `isPurged` tells the consensus side to treat it as gone. Rebuilt by journal replay like
 * everything else.
 */
const processedThroughSecond = new WeakMap<LedgerState, bigint>();

/** Has this schedule's expiry been processed? Then ScheduleSign/Delete/GetInfo answer INVALID_SCHEDULE_ID and it is no longer "identical" to anything. */
export function isPurged(state: LedgerState, schedule: ScheduleState): boolean {
  const through = processedThroughSecond.get(state);
  return through !== undefined && expirySecond(schedule) <= through;
}

/**
 * What Hedera does before each user transaction (HandleWorkflow with ScheduleServiceImpl's
 * PurgingIterator), for the schedules whose expiry second lies in (last processed second, second
 * of `now`], in expiry order: a `wait_for_expiry` schedule that is neither deleted nor executed
 * runs through `execute` if its required signatures are complete (an incomplete one simply
 * expires); then all of them count as purged (`isPurged`).
 */
export function processExpiredSchedules(state: LedgerState, now: Nanos, execute: (scheduleId: string) => void): void {
  const nowSecond = now / NANOS_PER_SECOND;
  const from = processedThroughSecond.get(state);
  if (from !== undefined && nowSecond <= from) return;
  const due = [...state.schedules.values()]
    .filter((s) => (from === undefined || expirySecond(s) > from) && expirySecond(s) <= nowSecond)
    .sort((a, b) => (a.expirationNanos === b.expirationNanos ? compareIds(a.id, b.id) : a.expirationNanos < b.expirationNanos ? -1 : 1));
  for (const schedule of due) {
    if (schedule.waitForExpiry && schedule.executedNanos === undefined && schedule.deletedNanos === undefined && scheduleIsComplete(schedule, state)) {
      execute(schedule.id);
    }
  }
  processedThroughSecond.set(state, nowSecond);
}

function scheduleIsComplete(schedule: ScheduleState, state: LedgerState): boolean {
  try {
    return isComplete(requiredKeys(proto.SchedulableTransactionBody.decode(schedule.bodyBytes), schedule.payer, state), schedule.signers);
  } catch (error) {
    if (error instanceof LedgerError) return false;
    throw error;
  }
}

const compareIds = (a: string, b: string) => {
  const x = BigInt(a.split(".")[2] ?? "0");
  const y = BigInt(b.split(".")[2] ?? "0");
  return x === y ? 0 : x < y ? -1 : 1;
};
