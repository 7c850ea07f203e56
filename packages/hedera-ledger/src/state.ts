import type { proto } from "@hashgraph/proto";
import type { Nanos } from "./codec.js";
import type { SignerId } from "./keys.js";

/** The whole ledger state: plain maps, rebuilt on start by replaying the journal. */
export interface AccountState {
  id: string;
  key: proto.IKey;
  balance: bigint;
  receiverSigRequired: boolean;
  memo: string;
  /** -1 = unlimited (HIP-904), else the number of free auto-association slots in total. */
  maxAutoAssociations: number;
  usedAutoAssociations: number;
  /** Associated tokens and their balances. */
  tokens: Map<string, bigint>;
  createdNanos: Nanos;
  deleted: boolean;
}

export interface TokenState {
  id: string;
  name: string;
  symbol: string;
  decimals: number;
  totalSupply: bigint;
  treasury: string;
  memo: string;
  adminKey?: proto.IKey;
  supplyKey?: proto.IKey;
  createdNanos: Nanos;
  /** Supply type FINITE: the cap. Absent = INFINITE. */
  maxSupply?: bigint;
  /** The other keys given at creation (TokenGetInfo reports them; their operations are not implemented). */
  freezeKey?: proto.IKey;
  wipeKey?: proto.IKey;
  pauseKey?: proto.IKey;
  feeScheduleKey?: proto.IKey;
  metadataKey?: proto.IKey;
  metadata?: Uint8Array;
  autoRenewAccount?: string;
  autoRenewPeriodSeconds?: bigint;
  expirySeconds?: bigint;
}

export interface TopicMessage {
  topicId: string;
  sequenceNumber: bigint;
  consensusNanos: Nanos;
  message: Uint8Array;
  runningHash: Uint8Array;
  runningHashVersion: number;
  payer: string;
  transactionId: proto.ITransactionID;
  chunkInfo?: { initialTransactionId: proto.ITransactionID; number: number; total: number };
}

export interface TopicState {
  id: string;
  memo: string;
  adminKey?: proto.IKey;
  submitKey?: proto.IKey;
  sequenceNumber: bigint;
  runningHash: Uint8Array;
  createdNanos: Nanos;
  messages: TopicMessage[];
  /** Seconds (ConsensusCreateTopic `autoRenewPeriod`); expiration = created + this. */
  autoRenewPeriodSeconds?: bigint;
  autoRenewAccount?: string;
}

export interface ScheduleState {
  id: string;
  creator: string;
  payer: string;
  memo: string;
  adminKey?: proto.IKey;
  /** The inner transaction, as `SchedulableTransactionBody` bytes. */
  bodyBytes: Uint8Array;
  /** Every primitive key that has signed the schedule so far. */
  signers: Set<SignerId>;
  scheduledTransactionId: proto.ITransactionID;
  expirationNanos: Nanos;
  waitForExpiry: boolean;
  createdNanos: Nanos;
  executedNanos?: Nanos;
  deletedNanos?: Nanos;
}

export interface PendingAirdrop {
  sender: string;
  receiver: string;
  token: string;
  amount: bigint;
}

/** One executed transaction, as receipts, records and the mirror REST API report it. */
export interface ExecutedTransaction {
  key: string;
  transactionId: proto.ITransactionID;
  /** `TransactionBody` oneof name, e.g. `cryptoTransfer`. */
  type: string;
  consensusNanos: Nanos;
  receipt: proto.ITransactionReceipt;
  record: proto.ITransactionRecord;
  payer: string;
  memo: string;
  chargedFee: bigint;
  /** SHA-384 of the signed transaction bytes. */
  hash: Uint8Array;
  /** HBAR movements including the fee, in the order they were recorded. */
  transfers: Map<string, bigint>;
  tokenTransfers: Map<string, Map<string, bigint>>;
  /** Token associations made automatically by this transaction. */
  autoAssociations: Array<{ account: string; token: string }>;
  /** Airdrops this transaction left pending (receiver had no free association slot). */
  newPendingAirdrops: PendingAirdrop[];
  scheduled: boolean;
  /** For a scheduled transaction: the schedule that ran it. */
  scheduleRef?: string;
}

export interface LedgerState {
  accounts: Map<string, AccountState>;
  tokens: Map<string, TokenState>;
  topics: Map<string, TopicState>;
  schedules: Map<string, ScheduleState>;
  pendingAirdrops: Map<string, PendingAirdrop>;
  transactions: Map<string, ExecutedTransaction>;
  /** Executed transactions in consensus order (mirror listings). */
  history: ExecutedTransaction[];
  /** The next entity number (accounts, tokens, topics and schedules share one sequence). */
  nextEntityNum: bigint;
  lastConsensusNanos: Nanos;
}

export const pendingAirdropKey = (sender: string, receiver: string, token: string) => `${sender}|${receiver}|${token}`;

export function emptyState(): LedgerState {
  return {
    accounts: new Map(),
    tokens: new Map(),
    topics: new Map(),
    schedules: new Map(),
    pendingAirdrops: new Map(),
    transactions: new Map(),
    history: [],
    nextEntityNum: 1001n,
    lastConsensusNanos: 0n,
  };
}
