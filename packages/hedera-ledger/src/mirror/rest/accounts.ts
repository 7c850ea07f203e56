import type { proto } from "@hashgraph/proto";
import type { Nanos } from "../../codec.js";
import type { Ledger } from "../../ledger.js";
import type { AccountState } from "../../state.js";
import {
  acceptOnly,
  booleanOf,
  compareBigInt,
  compareEntityIds,
  entityOfLongZero,
  filters,
  invalidParameter,
  keyJson,
  limitOf,
  longZeroAddress,
  matches,
  mirrorTimestamp,
  nextLink,
  notFound,
  orderOf,
  parseEntityId,
  parseTimestamp,
  type RestRequest,
  type RestResponse,
} from "./common.js";
import { listTransactions } from "./transactions.js";

/**
 * Accounts and balances: `GET /api/v1/accounts/{idOrAliasOrEvmAddress}`, `/accounts`,
 * `/accounts/{id}/tokens` and `/balances`, in the mirror's JSON shapes (AccountBalanceTransactions,
 * AccountsResponse, TokenRelationshipResponse, BalancesResponse).
 */

/** Auto-renew period every account gets here (CryptoGetInfo answers the same). */
const AUTO_RENEW_SECONDS = 7_776_000n;

// --- lookups ------------------------------------------------------------------------------------

const PATH_ID = /^(?:(\d{1,10})\.){0,2}(?:\d{1,10}|(?:0x)?[A-Fa-f0-9]{40}|(?:[A-Z2-7]{8})*(?:[A-Z2-7]{2}|[A-Z2-7]{4,5}|[A-Z2-7]{7,8}))$/;

/** An account by id (`8`, `0.8`, `0.0.8`), EVM address (long-zero, optionally `shard.realm.`-prefixed) or alias. */
export function resolveAccount(ledger: Ledger, raw: string): AccountState {
  if (!PATH_ID.test(raw)) throw invalidParameter("idOrAliasOrEvmAddress");
  const id = parseEntityId(raw) ?? entityOfLongZero(raw.replace(/^(?:\d{1,10}\.){1,2}/, ""));
  const account = id ? ledger.state.accounts.get(id) : undefined;
  // EVM addresses that are not long-zero, and aliases, name accounts created from an alias; the
  // ledger creates none, so they are unknown rather than malformed.
  if (!account) throw notFound();
  return account;
}

/** The hex public key the mirror indexes for an account: a primitive key, or a one-key list or threshold key. */
export function primaryPublicKey(key: proto.IKey | null | undefined): string | undefined {
  if (!key) return undefined;
  if (key.ed25519?.length) return Buffer.from(key.ed25519).toString("hex");
  if (key.ECDSASecp256k1?.length) return Buffer.from(key.ECDSASecp256k1).toString("hex");
  const keys = key.keyList?.keys ?? key.thresholdKey?.keys?.keys;
  return keys?.length === 1 ? primaryPublicKey(keys[0]) : undefined;
}

const DER_PREFIXES = ["302a300506032b6570032100" /* ED25519 */, "302d300706052b8104000a032200" /* ECDSA secp256k1, compressed */];

/** `account.publickey`: raw hex or DER hex (as `PublicKey.toString()` prints it), with or without `0x`. */
function parsePublicKey(raw: string): string | undefined {
  let hex = raw.replace(/^0x/i, "").toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || hex.length % 2) return undefined;
  for (const prefix of DER_PREFIXES) if (hex.startsWith(prefix) && hex.length > prefix.length) hex = hex.slice(prefix.length);
  return hex;
}

// --- balances, current or at a past consensus time ------------------------------------------------

interface Balances {
  hbar: bigint;
  tokens: Map<string, bigint>;
}

/** An account's balances at `at` (undefined = now): today's balances with later movements rolled back. */
function balancesAt(ledger: Ledger, account: AccountState, at?: Nanos): Balances {
  const hbar = { value: account.balance };
  const tokens = new Map(account.tokens);
  if (at !== undefined) {
    for (let i = ledger.state.history.length - 1; i >= 0; i--) {
      const tx = ledger.state.history[i]!;
      if (tx.consensusNanos <= at) break;
      hbar.value -= tx.transfers.get(account.id) ?? 0n;
      for (const [token, moves] of tx.tokenTransfers) {
        const moved = moves.get(account.id);
        if (moved !== undefined && tokens.has(token)) tokens.set(token, tokens.get(token)! - moved);
      }
      for (const association of tx.autoAssociations) if (association.account === account.id) tokens.delete(association.token);
    }
  }
  return { hbar: hbar.value, tokens };
}

const tokenBalancesJson = (tokens: Map<string, bigint>) =>
  [...tokens.entries()].sort(([a], [b]) => compareEntityIds(a, b)).map(([token_id, balance]) => ({ token_id, balance }));

// --- JSON ---------------------------------------------------------------------------------------

/** The mirror's AccountInfo. */
export function accountJson(ledger: Ledger, account: AccountState, withBalance = true) {
  const balances = balancesAt(ledger, account);
  return {
    account: account.id,
    alias: null,
    auto_renew_period: AUTO_RENEW_SECONDS,
    balance: withBalance ? { balance: balances.hbar, timestamp: mirrorTimestamp(ledger.state.lastConsensusNanos), tokens: tokenBalancesJson(balances.tokens) } : null,
    created_timestamp: mirrorTimestamp(account.createdNanos),
    decline_reward: false,
    deleted: account.deleted,
    ethereum_nonce: 0,
    evm_address: longZeroAddress(account.id),
    expiry_timestamp: mirrorTimestamp(account.createdNanos + AUTO_RENEW_SECONDS * 1_000_000_000n),
    key: keyJson(account.key),
    max_automatic_token_associations: account.maxAutoAssociations,
    memo: account.memo,
    pending_reward: 0,
    receiver_sig_required: account.receiverSigRequired,
    staked_account_id: null,
    staked_node_id: null,
    stake_period_start: null,
  };
}

// --- handlers -------------------------------------------------------------------------------------

/** `GET /api/v1/accounts/{idOrAliasOrEvmAddress}`: the account, its balance and its latest transactions. */
export function getAccount(request: RestRequest, raw: string): RestResponse {
  acceptOnly(request.query, ["limit", "order", "timestamp", "transactiontype", "transactions"]);
  const account = resolveAccount(request.ledger, raw);
  const withTransactions = booleanOf(request.query, "transactions") ?? true;
  const page = withTransactions ? listTransactions(request, { accountId: account.id }) : { transactions: [], links: { next: null } };
  return { body: { ...accountJson(request.ledger, account), ...page } };
}

/** `GET /api/v1/accounts?account.id=&account.publickey=&account.balance=&balance=&limit=&order=`. */
export function listAccounts(request: RestRequest): RestResponse {
  const { query, ledger } = request;
  acceptOnly(query, ["account.id", "account.publickey", "account.balance", "balance", "limit", "order"]);
  const ids = filters(query, "account.id", parseEntityId);
  const balanceFilters = filters(query, "account.balance", (raw) => (/^\d{1,19}$/.test(raw) ? BigInt(raw) : undefined));
  const publicKeys = filters(query, "account.publickey", parsePublicKey, ["eq"]);
  const withBalance = booleanOf(query, "balance") ?? true;
  const limit = limitOf(query);
  const order = orderOf(query, "asc");

  const selected = [...ledger.state.accounts.values()]
    .filter((a) => matches(a.id, ids, compareEntityIds))
    .filter((a) => matches(a.balance, balanceFilters, compareBigInt))
    .filter((a) => publicKeys.every((f) => primaryPublicKey(a.key) === f.value))
    .sort((a, b) => (order === "asc" ? 1 : -1) * compareEntityIds(a.id, b.id))
    .slice(0, limit);
  return {
    body: {
      accounts: selected.map((a) => accountJson(ledger, a, withBalance)),
      links: { next: nextLink(request, selected.length === limit, "account.id", selected.at(-1)?.id, order) },
    },
  };
}

/** `GET /api/v1/balances?account.id=&account.balance=&account.publickey=&timestamp=&limit=&order=`. */
export function listBalances(request: RestRequest): RestResponse {
  const { query, ledger } = request;
  acceptOnly(query, ["account.id", "account.balance", "account.publickey", "timestamp", "limit", "order"]);
  const ids = filters(query, "account.id", parseEntityId);
  const balanceFilters = filters(query, "account.balance", (raw) => (/^\d{1,19}$/.test(raw) ? BigInt(raw) : undefined));
  const publicKeys = filters(query, "account.publickey", parsePublicKey, ["eq"]);
  const timestamps = filters(query, "timestamp", parseTimestamp, ["eq", "lt", "lte"]);
  const limit = limitOf(query);
  const order = orderOf(query, "desc");

  // The snapshot time: the latest the filters allow (an `lt:` bound excludes its own nanosecond).
  let at: Nanos | undefined;
  for (const { op, value } of timestamps) {
    const bound = op === "lt" ? value - 1n : value;
    at = at === undefined || bound < at ? bound : at;
  }
  const snapshot = at ?? ledger.state.lastConsensusNanos;
  const rows = [...ledger.state.accounts.values()]
    .filter((a) => a.createdNanos <= snapshot)
    .filter((a) => matches(a.id, ids, compareEntityIds))
    .filter((a) => publicKeys.every((f) => primaryPublicKey(a.key) === f.value))
    .map((a) => ({ account: a, balances: balancesAt(ledger, a, at) }))
    .filter(({ balances }) => matches(balances.hbar, balanceFilters, compareBigInt))
    .sort((a, b) => (order === "asc" ? 1 : -1) * compareEntityIds(a.account.id, b.account.id))
    .slice(0, limit);
  return {
    body: {
      timestamp: mirrorTimestamp(snapshot),
      balances: rows.map(({ account, balances }) => ({ account: account.id, balance: balances.hbar, tokens: tokenBalancesJson(balances.tokens) })),
      links: { next: nextLink(request, rows.length === limit, "account.id", rows.at(-1)?.account.id, order) },
    },
  };
}

/** `GET /api/v1/accounts/{id}/tokens?token.id=&limit=&order=`: the account's token relationships. */
export function accountTokens(request: RestRequest, raw: string): RestResponse {
  const { query, ledger } = request;
  acceptOnly(query, ["token.id", "limit", "order"]);
  const account = resolveAccount(ledger, raw);
  const tokenIds = filters(query, "token.id", parseEntityId);
  const limit = limitOf(query);
  const order = orderOf(query, "asc");
  const relationships = [...account.tokens.entries()]
    .filter(([token]) => matches(token, tokenIds, compareEntityIds))
    .sort(([a], [b]) => (order === "asc" ? 1 : -1) * compareEntityIds(a, b))
    .slice(0, limit);
  return {
    body: {
      tokens: relationships.map(([token, balance]) => {
        const association = associationOf(ledger, account.id, token);
        return {
          automatic_association: association.automatic,
          balance,
          created_timestamp: mirrorTimestamp(association.nanos),
          decimals: ledger.state.tokens.get(token)?.decimals ?? 0,
          // The ledger's tokens have no freeze or KYC keys.
          freeze_status: "NOT_APPLICABLE",
          kyc_status: "NOT_APPLICABLE",
          token_id: token,
        };
      }),
      links: { next: nextLink(request, relationships.length === limit, "token.id", relationships.at(-1)?.[0], order) },
    },
  };
}

/**
 * When and how an account became associated with a token. The ledger keeps no association
 * timestamp, so this is reconstructed: an automatic association is found in the history; otherwise
 * the first transaction that moved the token for the account, else the token's creation.
 */
function associationOf(ledger: Ledger, account: string, token: string): { automatic: boolean; nanos: Nanos } {
  for (const tx of ledger.state.history) {
    if (tx.autoAssociations.some((a) => a.account === account && a.token === token)) return { automatic: true, nanos: tx.consensusNanos };
    if (tx.tokenTransfers.get(token)?.has(account)) return { automatic: false, nanos: tx.consensusNanos };
  }
  return { automatic: false, nanos: ledger.state.tokens.get(token)?.createdNanos ?? 0n };
}
