import { proto } from "@hashgraph/proto";
import { NANOS_PER_SECOND, accountIdOf, mirrorTransactionId, scheduleIdOf, timestampToNanos, tokenIdOf, topicIdOf, type Nanos } from "../../codec.js";
import type { Ledger } from "../../ledger.js";
import type { ExecutedTransaction } from "../../state.js";
import {
  RestError,
  acceptOnly,
  base64,
  booleanOf,
  compareBigInt,
  compareEntityIds,
  filters,
  invalidParameter,
  limitOf,
  matches,
  mirrorTimestamp,
  nextLink,
  notFound,
  orderOf,
  parseEntityId,
  parseTimestamp,
  type Filter,
  type RestRequest,
  type RestResponse,
} from "./common.js";

/**
 * Transactions: `GET /api/v1/transactions/{transactionIdOrHash}` and `GET /api/v1/transactions`, in
 * the mirror's Transaction/TransactionDetail shape.
 *
 * Fields the ledger does not keep are answered as the mirror answers a missing value: `max_fee`
 * and `valid_duration_seconds` null (the body is not stored once executed), `bytes` null (the
 * mirror never stores them), no staking rewards, NFT transfers or custom fees.
 */

/** The mirror's transaction type names (openapi `TransactionTypes`). */
export const TRANSACTION_TYPE_NAMES = new Set([
  "ATOMICBATCH", "CONSENSUSCREATETOPIC", "CONSENSUSDELETETOPIC", "CONSENSUSSUBMITMESSAGE", "CONSENSUSUPDATETOPIC",
  "CONTRACTCALL", "CONTRACTCREATEINSTANCE", "CONTRACTDELETEINSTANCE", "CONTRACTUPDATEINSTANCE", "CRYPTOADDLIVEHASH",
  "CRYPTOAPPROVEALLOWANCE", "CRYPTOCREATEACCOUNT", "CRYPTODELETE", "CRYPTODELETEALLOWANCE", "CRYPTODELETELIVEHASH",
  "CRYPTOTRANSFER", "CRYPTOUPDATEACCOUNT", "ETHEREUMTRANSACTION", "FILEAPPEND", "FILECREATE", "FILEDELETE", "FILEUPDATE",
  "FREEZE", "NODE", "NODECREATE", "NODEDELETE", "NODESTAKEUPDATE", "NODEUPDATE", "SCHEDULECREATE", "SCHEDULEDELETE",
  "SCHEDULESIGN", "SYSTEMDELETE", "SYSTEMUNDELETE", "TOKENAIRDROP", "TOKENASSOCIATE", "TOKENBURN", "TOKENCANCELAIRDROP",
  "TOKENCLAIMAIRDROP", "TOKENCREATION", "TOKENDELETION", "TOKENDISSOCIATE", "TOKENFEESCHEDULEUPDATE", "TOKENFREEZE",
  "TOKENGRANTKYC", "TOKENMINT", "TOKENPAUSE", "TOKENREJECT", "TOKENREVOKEKYC", "TOKENUNFREEZE", "TOKENUNPAUSE",
  "TOKENUPDATE", "TOKENUPDATENFTS", "TOKENWIPE", "UNCHECKEDSUBMIT", "UNKNOWN", "UTILPRNG",
]);

/** `cryptoTransfer` → `CRYPTOTRANSFER`: the mirror's names are the body's oneof names, upper-cased. */
export function transactionTypeName(type: string): string {
  const name = type.replace(/_/g, "").toUpperCase();
  return TRANSACTION_TYPE_NAMES.has(name) ? name : "UNKNOWN";
}

/** Results the mirror counts as success (`result=success`). */
const SUCCESS_RESULTS = new Set<number>([proto.ResponseCodeEnum.SUCCESS, proto.ResponseCodeEnum.FEE_SCHEDULE_FILE_PART_UPLOADED, proto.ResponseCodeEnum.SUCCESS_BUT_MISSING_EXPECTED_OPERATION]);

const resultName = (tx: ExecutedTransaction) => proto.ResponseCodeEnum[tx.receipt.status ?? proto.ResponseCodeEnum.UNKNOWN] ?? "UNKNOWN";

/** The entity a transaction created or acted on (the mirror's `entity_id`). */
function entityOf(ledger: Ledger, tx: ExecutedTransaction): string | null {
  const r = tx.receipt;
  const created = accountIdOf(r.accountID) ?? topicIdOf(r.topicID) ?? tokenIdOf(r.tokenID) ?? scheduleIdOf(r.scheduleID);
  if (created) return created;
  if (tx.type === "consensusSubmitMessage") {
    // The topic whose message has this consensus time (messages are in consensus order).
    for (const topic of ledger.state.topics.values()) {
      const messages = topic.messages;
      let lo = 0;
      let hi = messages.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const c = compareBigInt(messages[mid]!.consensusNanos, tx.consensusNanos);
        if (c === 0) return topic.id;
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
      }
    }
  }
  return tx.scheduleRef ?? null;
}

/** One transaction as the mirror lists it. */
export function transactionJson(ledger: Ledger, tx: ExecutedTransaction) {
  const validStart = timestampToNanos(tx.transactionId.transactionValidStart);
  const transfers = [...tx.transfers.entries()]
    .filter(([, amount]) => amount !== 0n)
    .sort(([a, x], [b, y]) => compareEntityIds(a, b) || compareBigInt(x, y))
    .map(([account, amount]) => ({ account, amount, is_approval: false }));
  const tokenTransfers = [...tx.tokenTransfers.entries()]
    .flatMap(([token_id, moves]) => [...moves.entries()].filter(([, amount]) => amount !== 0n).map(([account, amount]) => ({ token_id, account, amount, is_approval: false })))
    .sort((a, b) => compareEntityIds(a.token_id, b.token_id) || compareEntityIds(a.account, b.account));
  return {
    batch_key: null,
    bytes: null,
    charged_tx_fee: tx.chargedFee,
    consensus_timestamp: mirrorTimestamp(tx.consensusNanos),
    entity_id: entityOf(ledger, tx),
    max_custom_fees: [],
    max_fee: null,
    memo_base64: Buffer.from(tx.memo, "utf8").toString("base64"),
    name: transactionTypeName(tx.type),
    nft_transfers: [],
    node: ledger.nodeAccountId,
    nonce: tx.transactionId.nonce ?? 0,
    parent_consensus_timestamp: null,
    result: resultName(tx),
    scheduled: tx.scheduled,
    staking_reward_transfers: [],
    token_transfers: tokenTransfers,
    transaction_hash: base64(tx.hash),
    transaction_id: mirrorTransactionId(tx.transactionId),
    transfers,
    valid_duration_seconds: null,
    valid_start_timestamp: mirrorTimestamp(validStart),
  };
}

// --- by id or hash ------------------------------------------------------------------------------

interface TransactionIdQuery {
  payer: string;
  validStart: Nanos;
  scheduled?: boolean;
  nonce?: number;
}

const INVALID_ID = "Invalid Transaction id. Please use \\shard.realm.num-sss-nnn\\ format where sss are seconds and nnn are nanoseconds";

/**
 * `0.0.2-1700000000-000000001` (mirror form; nanos are an integer) or the SDK's
 * `0.0.2@1700000000.000000001[?scheduled][/nonce]` (nanos are a decimal fraction).
 */
export function parseTransactionId(raw: string): TransactionIdQuery | undefined {
  const dash = /^(\d{1,10})\.(\d{1,10})\.(\d{1,10})-(\d{1,19})-(\d{1,9})$/.exec(raw);
  if (dash) return { payer: `${BigInt(dash[1]!)}.${BigInt(dash[2]!)}.${BigInt(dash[3]!)}`, validStart: BigInt(dash[4]!) * NANOS_PER_SECOND + BigInt(dash[5]!) };
  const at = /^(\d{1,10})\.(\d{1,10})\.(\d{1,10})@(\d{1,19})\.(\d{1,9})(\?scheduled)?(?:\/(\d{1,10}))?$/.exec(raw);
  if (at) {
    return {
      payer: `${BigInt(at[1]!)}.${BigInt(at[2]!)}.${BigInt(at[3]!)}`,
      validStart: BigInt(at[4]!) * NANOS_PER_SECOND + BigInt(at[5]!.padEnd(9, "0")),
      ...(at[6] ? { scheduled: true } : {}),
      ...(at[7] ? { nonce: Number(at[7]) } : {}),
    };
  }
  return undefined;
}

/** A SHA-384 transaction hash: 96 hex digits (optionally `0x`), or 64 base64url characters. */
function parseHash(raw: string): Buffer | undefined {
  if (/^(0x)?[0-9a-fA-F]{96}$/.test(raw)) return Buffer.from(raw.replace(/^0x/, ""), "hex");
  if (/^[A-Za-z0-9_-]{64}$/.test(raw)) return Buffer.from(raw, "base64url");
  return undefined;
}

/** `GET /api/v1/transactions/{transactionIdOrHash}?nonce=&scheduled=`: every transaction with that id (user and scheduled). */
export function getTransaction(request: RestRequest, raw: string): RestResponse {
  const { query, ledger } = request;
  acceptOnly(query, ["nonce", "scheduled"]);
  const nonceRaw = query.getAll("nonce").at(-1);
  if (nonceRaw !== undefined && !(/^\d{1,10}$/.test(nonceRaw) && Number(nonceRaw) <= 2_147_483_647)) throw invalidParameter("nonce");
  const scheduledParam = booleanOf(query, "scheduled");

  const hash = parseHash(raw);
  const id = hash ? undefined : parseTransactionId(raw);
  if (!hash && !id) throw new RestError(400, [INVALID_ID]);
  const nonce = nonceRaw !== undefined ? Number(nonceRaw) : id?.nonce;
  const scheduled = scheduledParam ?? id?.scheduled;

  const found = ledger.state.history.filter((tx) => {
    if (hash) return Buffer.from(tx.hash).equals(hash);
    return accountIdOf(tx.transactionId.accountID) === id!.payer && timestampToNanos(tx.transactionId.transactionValidStart) === id!.validStart;
  });
  const selected = found.filter((tx) => (nonce === undefined || (tx.transactionId.nonce ?? 0) === nonce) && (scheduled === undefined || tx.scheduled === scheduled));
  if (selected.length === 0) throw notFound();
  return { body: { transactions: selected.map((tx) => transactionJson(ledger, tx)) } };
}

// --- lists --------------------------------------------------------------------------------------

/** The accounts a transaction involves: its payer and every account whose HBAR or token balance moved. */
function involved(tx: ExecutedTransaction): Map<string, bigint[]> {
  const accounts = new Map<string, bigint[]>([[tx.payer, []]]);
  const add = (account: string, amount: bigint) => {
    if (amount === 0n) return;
    accounts.set(account, [...(accounts.get(account) ?? []), amount]);
  };
  for (const [account, amount] of tx.transfers) add(account, amount);
  for (const moves of tx.tokenTransfers.values()) for (const [account, amount] of moves) add(account, amount);
  return accounts;
}

/**
 * Selects and pages transactions (the shared core of `/transactions` and `/accounts/{id}`).
 * `accountId` pins the account (the account endpoint); otherwise `account.id` filters apply.
 */
export function listTransactions(request: RestRequest, pinned: { accountId?: string } = {}) {
  const { query, ledger } = request;
  const accountFilters: Filter<string>[] = pinned.accountId ? [{ op: "eq", value: pinned.accountId }] : filters(query, "account.id", parseEntityId);
  const timestamps = filters(query, "timestamp", parseTimestamp);
  const types = filters(query, "transactiontype", (raw) => (TRANSACTION_TYPE_NAMES.has(raw.toUpperCase()) ? raw.toUpperCase() : undefined), ["eq"]);
  const resultRaw = query.getAll("result").at(-1);
  if (resultRaw !== undefined && resultRaw !== "success" && resultRaw !== "fail") throw invalidParameter("result");
  const creditRaw = query.getAll("type").at(-1)?.toLowerCase();
  if (creditRaw !== undefined && creditRaw !== "credit" && creditRaw !== "debit") throw invalidParameter("type");
  const limit = limitOf(query);
  const order = orderOf(query, "desc");

  const eqAccounts = accountFilters.filter((f) => f.op === "eq").map((f) => f.value);
  const rangeAccounts = accountFilters.filter((f) => f.op !== "eq");
  const accountMatches = (account: string) => (eqAccounts.length === 0 || eqAccounts.includes(account)) && matches(account, rangeAccounts, compareEntityIds);

  const page: ExecutedTransaction[] = [];
  const history = ledger.state.history;
  for (let n = 0; n < history.length && page.length < limit; n++) {
    const tx = history[order === "asc" ? n : history.length - 1 - n]!;
    if (!matches(tx.consensusNanos, timestamps, compareBigInt)) continue;
    if (types.length && !types.some((t) => t.value === transactionTypeName(tx.type))) continue;
    if (resultRaw && SUCCESS_RESULTS.has(tx.receipt.status ?? -1) !== (resultRaw === "success")) continue;
    if (accountFilters.length || creditRaw) {
      const accounts = [...involved(tx).entries()].filter(([account]) => accountMatches(account));
      if (accounts.length === 0) continue;
      if (creditRaw && !accounts.some(([, amounts]) => amounts.some((a) => (creditRaw === "credit" ? a > 0n : a < 0n)))) continue;
    }
    page.push(tx);
  }
  const last = page.at(-1);
  return {
    transactions: page.map((tx) => transactionJson(ledger, tx)),
    links: { next: nextLink(request, page.length === limit, "timestamp", last ? mirrorTimestamp(last.consensusNanos)! : undefined, order) },
  };
}

/** `GET /api/v1/transactions?account.id=&timestamp=&transactiontype=&result=&type=&limit=&order=`. */
export function getTransactions(request: RestRequest): RestResponse {
  acceptOnly(request.query, ["account.id", "timestamp", "transactiontype", "result", "type", "limit", "order"]);
  return { body: listTransactions(request) };
}
