import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AccountCreateTransaction, AccountId, Client, Hbar, PrivateKey, TopicCreateTransaction } from "@hashgraph/sdk";
import { ed25519PublicKeyOf, startEmbeddedLedger } from "@tensornode/hedera-ledger";
import type { HederaConfig } from "@tensornode/hedera";
import type { LocalLog } from "./log.js";

/** Accounts the local network provisions, with their opening balances in ℏ. */
export const LOCAL_ACCOUNTS = {
  treasury: 1_000_000,
  developer: 1_000,
  miners: [100, 100, 100],
  validators: [100, 100],
  /** Signs the work the network sends to miners; holds no funds beyond its fees. */
  dispatcher: 10,
} as const;

interface KeyedAccount {
  accountId: string;
  /** DER-encoded private key. Written to the state file (mode 600), never printed. */
  privateKey: string;
}

export interface LocalHederaState {
  genesisKey: string;
  treasury: KeyedAccount;
  auditTopicId: string;
  developer: KeyedAccount;
  miners: KeyedAccount[];
  validators: KeyedAccount[];
  /** Added after the first release of this file: older state files are given one on start. */
  dispatcher?: KeyedAccount;
}


/**
 * Starts the embedded Hedera ledger for the local network and makes sure it holds what the network
 * needs: a funded treasury (the network's operator), an HCS audit topic, and accounts for the
 * demo developer, the local miners and the validators. With `stateDir`, keys and ledger data persist
 * and a restart reuses them; without it everything is fresh and in memory (tests).
 */
export async function startLocalHedera(options: { stateDir?: string; ports: { consensus: number; mirror: number; rest: number }; log: LocalLog }) {
  const stateFile = options.stateDir ? join(options.stateDir, "hedera.json") : undefined;
  const saved = stateFile && existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, "utf8")) as LocalHederaState) : undefined;
  const genesisKey = saved ? PrivateKey.fromStringDer(saved.genesisKey) : PrivateKey.generateED25519();
  const ledger = await startEmbeddedLedger({
    genesisKey: ed25519PublicKeyOf(genesisKey.toStringDer()),
    port: options.ports.consensus,
    mirrorPort: options.ports.mirror,
    restPort: options.ports.rest,
    ...(options.stateDir ? { dataDir: join(options.stateDir, "hedera") } : {}),
  });
  try {
    let state = saved && ledger.ledger.state.accounts.has(saved.treasury.accountId) ? saved : await provision(ledger.consensus, ledger.nodeAccountId, genesisKey);
    if (!state.dispatcher) state = { ...state, dispatcher: await withGenesis(ledger.consensus, ledger.nodeAccountId, genesisKey, (account) => account(LOCAL_ACCOUNTS.dispatcher)) };
    if (stateFile && state !== saved) {
      mkdirSync(options.stateDir!, { recursive: true });
      writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    }
    options.log("hedera", "embedded Hedera ledger ready", { consensus: ledger.consensus, mirror: ledger.mirror, rest: ledger.restUrl, treasury: state.treasury.accountId, auditTopic: state.auditTopicId });
    const config: HederaConfig = {
      network: "local",
      consensusNode: { address: ledger.consensus, accountId: ledger.nodeAccountId },
      mirrorGrpc: ledger.mirror,
      mirrorRestUrl: ledger.restUrl!,
      operatorId: state.treasury.accountId,
      operatorKey: state.treasury.privateKey,
      maxAttempts: 3,
      requestTimeoutMs: 10_000,
      grpcDeadlineMs: 2_000,
    };
    return { ledger, state, config, close: () => ledger.close() };
  } catch (error) {
    await ledger.close();
    throw error;
  }
}

type CreateAccount = (hbar: number) => Promise<KeyedAccount>;

/** Runs `work` with an SDK client whose operator is the genesis account. */
async function withGenesis<T>(consensus: string, nodeAccountId: string, genesisKey: PrivateKey, work: (account: CreateAccount, client: Client) => Promise<T>): Promise<T> {
  const client = Client.forNetwork({ [consensus]: nodeAccountId }, { scheduleNetworkUpdate: false });
  client.setOperator(AccountId.fromString("0.0.2"), genesisKey);
  client.setMaxAttempts(3).setGrpcDeadline(2_000).setRequestTimeout(10_000);
  const account: CreateAccount = async (hbar) => {
    const key = PrivateKey.generateED25519();
    const receipt = await (await new AccountCreateTransaction().setKeyWithoutAlias(key.publicKey).setInitialBalance(new Hbar(hbar)).execute(client)).getReceipt(client);
    return { accountId: receipt.accountId!.toString(), privateKey: key.toStringDer() };
  };
  try {
    return await work(account, client);
  } finally {
    client.close();
  }
}

function provision(consensus: string, nodeAccountId: string, genesisKey: PrivateKey): Promise<LocalHederaState> {
  return withGenesis(consensus, nodeAccountId, genesisKey, async (account, client) => {
    const treasury = await account(LOCAL_ACCOUNTS.treasury);
    const treasuryKey = PrivateKey.fromStringDer(treasury.privateKey);
    // The audit topic: only the treasury may write to it, so its history is the network's own.
    const topicTx = await new TopicCreateTransaction().setTopicMemo("tensornode audit trail").setAdminKey(treasuryKey.publicKey).setSubmitKey(treasuryKey.publicKey).freezeWith(client).sign(treasuryKey);
    const topic = await (await topicTx.execute(client)).getReceipt(client);
    return {
      genesisKey: genesisKey.toStringDer(),
      treasury,
      auditTopicId: topic.topicId!.toString(),
      developer: await account(LOCAL_ACCOUNTS.developer),
      miners: await Promise.all(LOCAL_ACCOUNTS.miners.map(account)),
      validators: await Promise.all(LOCAL_ACCOUNTS.validators.map(account)),
      dispatcher: await account(LOCAL_ACCOUNTS.dispatcher),
    };
  });
}
