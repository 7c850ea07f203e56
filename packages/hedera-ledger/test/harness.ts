import { AccountId, Client, Hbar, PrivateKey, type Key } from "@hashgraph/sdk";
import { proto } from "@hashgraph/proto";
import { startEmbeddedLedger, type EmbeddedLedger, type EmbeddedLedgerOptions } from "../src/index.js";

/** A started ledger on free ports plus a real SDK client whose operator is the genesis account 0.0.2. */
export async function startTestLedger(options: Partial<EmbeddedLedgerOptions> = {}) {
  const genesisKey = PrivateKey.generateED25519();
  const ledger = await startEmbeddedLedger({ genesisKey: keyProto(genesisKey.publicKey), port: 0, mirrorPort: 0, ...options });
  const clients: Client[] = [];
  const client = (operatorId = "0.0.2", operatorKey: PrivateKey = genesisKey) => {
    const c = Client.forNetwork({ [ledger.consensus]: ledger.nodeAccountId }, { scheduleNetworkUpdate: false });
    c.setMirrorNetwork([ledger.consensus]);
    c.setOperator(AccountId.fromString(operatorId), operatorKey);
    c.setMaxAttempts(2);
    // Deadline first: the SDK warns when the request timeout is not above the current deadline.
    c.setGrpcDeadline(2_000);
    c.setRequestTimeout(10_000);
    c.setDefaultMaxTransactionFee(new Hbar(50));
    clients.push(c);
    return c;
  };
  return {
    ledger,
    genesisKey,
    client,
    async close() {
      for (const c of clients) c.close();
      await ledger.close();
    },
  } satisfies { ledger: EmbeddedLedger } & Record<string, unknown>;
}

/** The protobuf form of an SDK key, as the ledger stores it. */
export function keyProto(key: Key): proto.IKey {
  return (key as unknown as { _toProtobufKey(): proto.IKey })._toProtobufKey();
}
