import { proto } from "@hashgraph/proto";
import {
  LedgerError,
  NANOS_PER_SECOND,
  Status,
  accountIdOf,
  accountIdProto,
  fail,
  nanosToTimestamp,
  timestampToNanos,
  toBigInt,
  toLong,
  tokenIdProto,
  transactionIdKey,
  type Nanos,
} from "./codec.js";
import { isSatisfied, sha384, verifiedSigners, type Signers } from "./keys.js";
import { emptyState, type ExecutedTransaction, type LedgerState, type TopicMessage } from "./state.js";
import type { HandleContext } from "./transactions/context.js";
import { TRANSACTION_TYPES } from "./transactions/index.js";
import { QUERY_TYPES } from "./queries/index.js";
import { processExpiredSchedules } from "./transactions/schedule-keys.js";

/** Network rules (hiero-consensus-node HederaConfig). */
export const LIMITS = {
  transactionBytes: 6_144,
  memoBytes: 100,
  minValidDurationSeconds: 15n,
  maxValidDurationSeconds: 180n,
  /** A transaction must stay valid this long after it arrives (minValidityBufferSecs). */
  validityBufferSeconds: 10n,
} as const;

export const TOTAL_SUPPLY_TINYBARS = 50_000_000_000n * 100_000_000n;

export interface LedgerOptions {
  /** The node this ledger impersonates (the SDK checks `nodeAccountID`). Default 0.0.3. */
  nodeAccountId?: string;
  /** Where fees go. Default 0.0.98. */
  feeCollectorAccountId?: string;
  /** The genesis/treasury account (0.0.2) and its key; it holds the whole supply at genesis. */
  genesisKey: proto.IKey;
  /** Wall clock in nanoseconds; tests may pin it. */
  clock?: () => Nanos;
  /** Called for every transaction that passed precheck, with its consensus time (persistence). */
  onAccepted?: (entry: { consensusNanos: Nanos; bytes: Uint8Array }) => void;
}

/**
 * The ledger: takes signed transaction bytes and query bytes as the SDK sends them, and answers
 * as a Hedera consensus node does. Transactions are prechecked (answered at once), then reach
 * "consensus" immediately, in arrival order, with strictly increasing consensus timestamps.
 */
export class Ledger {
  readonly state: LedgerState = emptyState();
  readonly nodeAccountId: string;
  readonly feeCollectorAccountId: string;
  private readonly clock: () => Nanos;
  private readonly topicListeners = new Set<(message: TopicMessage) => void>();
  private replaying = false;

  constructor(private readonly options: LedgerOptions) {
    this.nodeAccountId = options.nodeAccountId ?? "0.0.3";
    this.feeCollectorAccountId = options.feeCollectorAccountId ?? "0.0.98";
    this.clock = options.clock ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.genesis();
  }

  private genesis() {
    const system = (id: string, balance: bigint) =>
      this.state.accounts.set(id, {
        id,
        key: this.options.genesisKey,
        balance,
        receiverSigRequired: false,
        memo: "",
        maxAutoAssociations: 0,
        usedAutoAssociations: 0,
        tokens: new Map(),
        createdNanos: 0n,
        deleted: false,
      });
    system("0.0.2", TOTAL_SUPPLY_TINYBARS);
    system(this.nodeAccountId, 0n);
    system(this.feeCollectorAccountId, 0n);
  }

  onTopicMessage(listener: (message: TopicMessage) => void): () => void {
    this.topicListeners.add(listener);
    return () => this.topicListeners.delete(listener);
  }

  /** Re-executes a journal entry at its recorded consensus time (no wall-clock checks, no callbacks). */
  replay(entry: { consensusNanos: Nanos; bytes: Uint8Array }): void {
    this.replaying = true;
    try {
      this.submit(entry.bytes, entry.consensusNanos);
    } finally {
      this.replaying = false;
    }
  }

  /** A `Transaction` (wire bytes) → `TransactionResponse` with the precheck code. */
  submitTransaction(bytes: Uint8Array): proto.TransactionResponse {
    try {
      this.submit(bytes);
      return proto.TransactionResponse.create({ nodeTransactionPrecheckCode: Status.OK });
    } catch (error) {
      if (error instanceof LedgerError) return proto.TransactionResponse.create({ nodeTransactionPrecheckCode: error.status });
      throw error;
    }
  }

  /** A `Query` (wire bytes) → `Response`. */
  query(bytes: Uint8Array): proto.Response {
    let query: proto.Query;
    try {
      query = proto.Query.decode(bytes);
    } catch {
      return proto.Response.create({});
    }
    const name = (query as unknown as { query?: string }).query;
    const spec = name ? QUERY_TYPES[name] : undefined;
    const inner = (name ? (query as unknown as Record<string, { header?: proto.IQueryHeader }>)[name] : undefined) ?? {};
    const responseType = inner.header?.responseType ?? proto.ResponseType.ANSWER_ONLY;
    const respond = (code: Status, fields: object = {}, cost = 0n) =>
      proto.Response.create({ [spec?.response ?? name ?? "cryptogetAccountBalance"]: { header: { nodeTransactionPrecheckCode: code, responseType, cost: toLong(cost) }, ...fields } });
    if (!spec) return respond(Status.NOT_SUPPORTED);
    const cost = spec.cost;
    if (responseType === proto.ResponseType.COST_ANSWER) return respond(Status.OK, {}, cost);
    try {
      if (cost > 0n) this.payForQuery(inner.header?.payment, cost);
      return respond(Status.OK, spec.answer(this, inner as never));
    } catch (error) {
      if (error instanceof LedgerError) return respond(error.status);
      throw error;
    }
  }

  /** A paid query's payment is an ordinary CryptoTransfer to the node, prechecked and executed. */
  private payForQuery(payment: proto.ITransaction | null | undefined, cost: bigint) {
    if (!payment) fail(Status.INSUFFICIENT_TX_FEE, "paid query without payment");
    const bytes = proto.Transaction.encode(payment!).finish();
    const body = this.decode(bytes).body;
    const paid = (body.cryptoTransfer?.transfers?.accountAmounts ?? [])
      .filter((aa) => accountIdOf(aa.accountID) === this.nodeAccountId)
      .reduce((total, aa) => total + toBigInt(aa.amount), 0n);
    if (paid < cost) fail(Status.INSUFFICIENT_TX_FEE, `query costs ${cost} tinybars`);
    this.submit(bytes);
  }

  private decode(bytes: Uint8Array) {
    if (bytes.length > LIMITS.transactionBytes) fail(Status.TRANSACTION_OVERSIZE);
    let transaction: proto.Transaction;
    let signed: proto.ISignedTransaction;
    try {
      transaction = proto.Transaction.decode(bytes);
      signed = transaction.signedTransactionBytes?.length
        ? proto.SignedTransaction.decode(transaction.signedTransactionBytes)
        : { bodyBytes: transaction.bodyBytes, sigMap: transaction.sigMap };
    } catch {
      return fail(Status.INVALID_TRANSACTION);
    }
    if (!signed.bodyBytes?.length) fail(Status.INVALID_TRANSACTION_BODY);
    let body: proto.TransactionBody;
    try {
      body = proto.TransactionBody.decode(signed.bodyBytes!);
    } catch {
      return fail(Status.INVALID_TRANSACTION_BODY);
    }
    const hash = sha384(transaction.signedTransactionBytes?.length ? transaction.signedTransactionBytes : bytes);
    return { body, bodyBytes: signed.bodyBytes!, sigMap: signed.sigMap, hash };
  }

  /** Precheck, then consensus. Throws LedgerError for a precheck failure; consensus failures land in the receipt. */
  private submit(bytes: Uint8Array, replayAt?: Nanos): ExecutedTransaction {
    const { body, bodyBytes, sigMap, hash } = this.decode(bytes);
    const type = (body as unknown as { data?: string }).data;
    const spec = type ? TRANSACTION_TYPES[type] : undefined;
    const now = replayAt ?? this.clock();

    // --- precheck (answered to the client), in Hedera's order (hiero-consensus-node IngestChecker.runAllChecks):
    // syntax (TransactionChecker), node account, time box, deduplication, supported type and pure checks,
    // payer account, payer signature, solvency ---
    if (!type) fail(Status.INVALID_TRANSACTION_BODY, "the body holds no transaction");
    const txId = body.transactionID;
    if (!txId) fail(Status.INVALID_TRANSACTION_ID);
    const payerId = accountIdOf(txId!.accountID);
    if (!payerId) fail(Status.PAYER_ACCOUNT_NOT_FOUND);
    if (txId!.scheduled || toBigInt(txId!.nonce) !== 0n) fail(Status.TRANSACTION_ID_FIELD_NOT_ALLOWED, "the scheduled flag and nonce are set by the network");
    if (!txId!.transactionValidStart) fail(Status.INVALID_TRANSACTION_START);
    const memo = Buffer.from(body.memo ?? "", "utf8");
    if (memo.length > LIMITS.memoBytes) fail(Status.MEMO_TOO_LONG);
    if (memo.includes(0)) fail(Status.INVALID_ZERO_BYTE_IN_STRING, "memo");
    if (accountIdOf(body.nodeAccountID) !== this.nodeAccountId) fail(Status.INVALID_NODE_ACCOUNT, `this node is ${this.nodeAccountId}`);
    const duration = toBigInt(body.transactionValidDuration?.seconds);
    if (duration < LIMITS.minValidDurationSeconds || duration > LIMITS.maxValidDurationSeconds) fail(Status.INVALID_TRANSACTION_DURATION);
    if (replayAt === undefined) {
      const validStart = timestampToNanos(txId!.transactionValidStart);
      if (validStart > now) fail(Status.INVALID_TRANSACTION_START, "valid start is in the future");
      if (validStart + (duration - LIMITS.validityBufferSeconds) * NANOS_PER_SECOND < now) fail(Status.TRANSACTION_EXPIRED);
    }
    const key = transactionIdKey(txId);
    if (this.state.transactions.has(key)) fail(Status.DUPLICATE_TRANSACTION);
    if (!spec) fail(Status.NOT_SUPPORTED, `transaction type ${type}`);
    spec!.precheck?.(body);
    const payer = this.state.accounts.get(payerId!);
    if (!payer) fail(Status.PAYER_ACCOUNT_NOT_FOUND);
    if (payer!.deleted) fail(Status.PAYER_ACCOUNT_DELETED);
    const signers = verifiedSigners(sigMap, bodyBytes);
    if (!isSatisfied(payer!.key, signers)) fail(Status.INVALID_SIGNATURE, "payer signature");
    const fee = spec!.fee;
    if (toBigInt(body.transactionFee) < fee) fail(Status.INSUFFICIENT_TX_FEE, `this transaction costs ${fee} tinybars`);
    // Solvency: the fee plus what the payer itself spends in the transaction (Hedera SolvencyPreCheck).
    if (payer!.balance < fee + (spec!.payerSpend?.(body, payerId!) ?? 0n)) fail(Status.INSUFFICIENT_PAYER_BALANCE);

    // --- consensus ---
    // Schedules (HIP-423): before this transaction gets its consensus time, run the due
    // wait_for_expiry schedules and purge expired ones, as Hedera does before each user transaction.
    this.runDueSchedules(now);
    const consensusNanos = this.nextConsensusTime(now);
    if (!this.replaying && replayAt === undefined) this.options.onAccepted?.({ consensusNanos, bytes });
    return this.execute({ body, type: type!, payerId: payerId!, signers, consensusNanos, hash, key, fee });
  }

  /**
   * Lets time pass without a transaction: runs the wait_for_expiry schedules whose expiry has come
   * and purges expired schedules. The ledger otherwise only notices time when a transaction
   * arrives; `startScheduleClock` (schedule-clock.ts) calls this every second.
   */
  tick(): void {
    this.runDueSchedules(this.clock());
  }

  /**
   * Each due schedule's inner transaction gets consensus time max(its expiry, last + 1 ns): the
   * same whether a tick or the next transaction ran it, so replaying the journal (which records
   * transactions, not ticks) rebuilds the same history.
   */
  private runDueSchedules(now: Nanos): void {
    processExpiredSchedules(this.state, now, (scheduleId) => {
      const schedule = this.state.schedules.get(scheduleId)!;
      schedule.executedNanos = this.executeScheduled(scheduleId, schedule.expirationNanos - 1n).consensusNanos;
    });
  }

  private nextConsensusTime(now: Nanos): Nanos {
    const next = now > this.state.lastConsensusNanos ? now : this.state.lastConsensusNanos + 1n;
    this.state.lastConsensusNanos = next;
    return next;
  }

  /** Runs a transaction at consensus: charge the fee, run the handler, store receipt and record. */
  private execute(args: {
    body: proto.TransactionBody;
    type: string;
    payerId: string;
    signers: Signers;
    consensusNanos: Nanos;
    hash: Uint8Array;
    key: string;
    fee: bigint;
    scheduleRef?: string;
  }): ExecutedTransaction {
    const execution: ExecutedTransaction = {
      key: args.key,
      transactionId: args.body.transactionID!,
      type: args.type,
      consensusNanos: args.consensusNanos,
      receipt: { status: Status.SUCCESS },
      record: {},
      payer: args.payerId,
      memo: args.body.memo ?? "",
      chargedFee: 0n,
      hash: args.hash,
      transfers: new Map(),
      tokenTransfers: new Map(),
      autoAssociations: [],
      newPendingAirdrops: [],
      scheduled: Boolean(args.body.transactionID?.scheduled),
      ...(args.scheduleRef ? { scheduleRef: args.scheduleRef } : {}),
    };
    this.state.transactions.set(args.key, execution);
    this.state.history.push(execution);

    const payer = this.state.accounts.get(args.payerId)!;
    const fee = payer.balance >= args.fee ? args.fee : payer.balance;
    const ctx: HandleContext = {
      state: this.state,
      body: args.body,
      payer: args.payerId,
      signers: args.signers,
      consensusNanos: args.consensusNanos,
      receipt: execution.receipt,
      execution,
      executeScheduled: (scheduleId) => this.executeScheduled(scheduleId, args.consensusNanos),
      publishTopicMessage: (message) => {
        if (!this.replaying) for (const listener of this.topicListeners) listener(message);
      },
      newEntityId: () => `0.0.${this.state.nextEntityNum++}`,
    };
    const chargeFee = () => {
      payer.balance -= fee;
      this.state.accounts.get(this.feeCollectorAccountId)!.balance += fee;
      execution.chargedFee = fee;
      execution.transfers.set(args.payerId, (execution.transfers.get(args.payerId) ?? 0n) - fee);
      execution.transfers.set(this.feeCollectorAccountId, (execution.transfers.get(this.feeCollectorAccountId) ?? 0n) + fee);
    };
    chargeFee();
    if (args.fee > fee) {
      execution.receipt.status = Status.INSUFFICIENT_PAYER_BALANCE;
    } else {
      try {
        TRANSACTION_TYPES[args.type]!.handle(ctx);
      } catch (error) {
        // A handler bug must not leave a SUCCESS receipt or stop the node: Hedera answers FAIL_INVALID.
        if (!(error instanceof LedgerError)) console.error(`hedera-ledger: ${args.type} handler failed`, error);
        execution.receipt.status = error instanceof LedgerError ? error.status : Status.FAIL_INVALID;
        // Handlers validate before they change state; drop anything a failed one recorded.
        for (const account of [...execution.transfers.keys()]) if (account !== args.payerId && account !== this.feeCollectorAccountId) execution.transfers.delete(account);
        execution.transfers.set(args.payerId, -fee);
        execution.transfers.set(this.feeCollectorAccountId, fee);
        execution.tokenTransfers.clear();
      }
    }
    execution.record = this.buildRecord(execution);
    return execution;
  }

  /** Runs a schedule's inner transaction now (ScheduleSign completed its signatures, or its expiry came). */
  private executeScheduled(scheduleId: string, consensusNanos: Nanos): ExecutedTransaction {
    const schedule = this.state.schedules.get(scheduleId)!;
    const inner = proto.SchedulableTransactionBody.decode(schedule.bodyBytes);
    const type = (inner as unknown as { data?: string }).data!;
    const body = proto.TransactionBody.create({
      transactionID: schedule.scheduledTransactionId,
      nodeAccountID: accountIdProto(this.nodeAccountId),
      transactionFee: inner.transactionFee ?? toLong(0n),
      memo: inner.memo ?? "",
      [type]: (inner as unknown as Record<string, unknown>)[type],
    });
    schedule.executedNanos = consensusNanos;
    const spec = TRANSACTION_TYPES[type];
    return this.execute({
      body,
      type,
      payerId: schedule.payer,
      signers: schedule.signers,
      consensusNanos: this.nextConsensusTime(consensusNanos + 1n),
      hash: sha384(proto.TransactionBody.encode(body).finish()),
      key: transactionIdKey(schedule.scheduledTransactionId),
      fee: spec?.fee ?? 0n,
      scheduleRef: scheduleId,
    });
  }

  private buildRecord(execution: ExecutedTransaction): proto.ITransactionRecord {
    const amounts = (map: Map<string, bigint>) =>
      [...map.entries()].filter(([, amount]) => amount !== 0n).map(([account, amount]) => ({ accountID: accountIdProto(account), amount: toLong(amount) }));
    return {
      receipt: execution.receipt,
      transactionHash: execution.hash,
      consensusTimestamp: nanosToTimestamp(execution.consensusNanos),
      transactionID: execution.transactionId,
      memo: execution.memo,
      transactionFee: toLong(execution.chargedFee),
      transferList: { accountAmounts: amounts(execution.transfers) },
      tokenTransferLists: [...execution.tokenTransfers.entries()].map(([token, map]) => ({ token: tokenIdProto(token), transfers: amounts(map) })),
      automaticTokenAssociations: execution.autoAssociations.map((a) => ({ tokenId: tokenIdProto(a.token), accountId: accountIdProto(a.account) })),
      newPendingAirdrops: execution.newPendingAirdrops.map((p) => ({
        pendingAirdropId: { senderId: accountIdProto(p.sender), receiverId: accountIdProto(p.receiver), fungibleTokenType: tokenIdProto(p.token) },
        pendingAirdropValue: { amount: toLong(p.amount) },
      })),
      ...(execution.scheduleRef ? { scheduleRef: scheduleIdProtoOf(execution.scheduleRef) } : {}),
    };
  }
}

const scheduleIdProtoOf = (id: string) => {
  const [shard, realm, num] = id.split(".");
  return { shardNum: toLong(BigInt(shard!)), realmNum: toLong(BigInt(realm!)), scheduleNum: toLong(BigInt(num!)) };
};
