/**
 * Embedded Hedera ledger benchmark (part of `npm run bench`): transfers per second the ledger
 * accepts through the real @hashgraph/sdk with one client and with 8 concurrent clients, and the
 * time from submission to receipt. All on 127.0.0.1, bounded counts.
 */
import { AccountCreateTransaction, AccountId, Client, Hbar, PrivateKey, TransferTransaction } from "@hashgraph/sdk";
import { ed25519PublicKeyOf, startEmbeddedLedger } from "@tensornode/hedera-ledger";

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const genesisKey = PrivateKey.generateED25519();
const ledger = await startEmbeddedLedger({ genesisKey: ed25519PublicKeyOf(genesisKey.toStringDer()), port: 0, mirrorPort: 0, restPort: false });
const clientFor = (id: string, key: PrivateKey) => {
  const client = Client.forNetwork({ [ledger.consensus]: ledger.nodeAccountId }, { scheduleNetworkUpdate: false }).setOperator(AccountId.fromString(id), key);
  client.setMaxAttempts(3).setGrpcDeadline(2_000).setRequestTimeout(10_000);
  return client;
};
const genesis = clientFor("0.0.2", genesisKey);

async function fundedAccount() {
  const key = PrivateKey.generateED25519();
  const receipt = await (await new AccountCreateTransaction().setKeyWithoutAlias(key.publicKey).setInitialBalance(new Hbar(1_000)).execute(genesis)).getReceipt(genesis);
  return { id: receipt.accountId!.toString(), key };
}

/** `total` transfers split over `clients` concurrent clients, each waiting for its receipt. */
async function run(clients: number, total: number) {
  const senders = await Promise.all(Array.from({ length: clients }, fundedAccount));
  const receiver = (await fundedAccount()).id;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    senders.map(async ({ id, key }) => {
      const client = clientFor(id, key);
      for (let i = 0; i < total / clients; i++) {
        const t0 = performance.now();
        const response = await new TransferTransaction().addHbarTransfer(id, Hbar.fromTinybars(-1)).addHbarTransfer(receiver, Hbar.fromTinybars(1)).execute(client);
        await response.getReceipt(client);
        latencies.push(performance.now() - t0);
      }
      client.close();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

try {
  await run(1, 50); // warm up
  console.log("Embedded Hedera ledger: TransferTransaction + receipt through @hashgraph/sdk");
  for (const clients of [1, 8]) {
    const r = await run(clients, 400);
    console.log(`  ${clients} client${clients > 1 ? "s" : " "}  ${r.perSecond.toFixed(0)} transfers/s  submit→receipt p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms`);
  }
} finally {
  genesis.close();
  await ledger.close();
}
// The SDK 2.81 leaves a 10 s gRPC deadline timer per request (see notes): do not wait for it.
process.exit(0);
