import { describe } from "vitest";
import {
  InMemoryApiKeyStore,
  InMemoryConnectionStore,
  InMemoryEpochStore,
  InMemoryJobStore,
  InMemoryMinerDirectory,
  InMemoryScoreStore,
  RecordingConnectionPush,
  RecordingJobQueue,
  RecordingSettlementQueue,
  apiKeyStoreContract,
  nonceStoreContract,
  connectionPushContract,
  connectionStoreContract,
  epochStoreContract,
  jobQueueContract,
  jobStoreContract,
  minerDirectoryContract,
  scoreStoreContract,
  settlementQueueContract,
  accountStoreContract,
  rateLimitStoreContract,
  InMemoryRateLimitStore,
  usageLedgerContract,
  InMemoryAccountStore,
  InMemoryUsageLedger,
  uniqueId,
  type PushHarness,
} from "../testing/index.js";
import { MemoryNonceStore } from "../src/index.js";

/** The fakes other tests rely on must behave like the adapters: same contracts. */
describe("in-memory fakes", () => {
  jobStoreContract(() => new InMemoryJobStore());
  connectionStoreContract(() => new InMemoryConnectionStore());
  apiKeyStoreContract(() => new InMemoryApiKeyStore());
  accountStoreContract(() => new InMemoryAccountStore());
  rateLimitStoreContract(() => new InMemoryRateLimitStore());
  usageLedgerContract(() => {
    const accounts = new InMemoryAccountStore();
    const apiKeys = new InMemoryApiKeyStore();
    return { usage: new InMemoryUsageLedger({ accounts, apiKeys }), accounts, apiKeys };
  });
  nonceStoreContract(() => new MemoryNonceStore());
  epochStoreContract(() => new InMemoryEpochStore());
  scoreStoreContract(() => new InMemoryScoreStore());
  minerDirectoryContract(() => new InMemoryMinerDirectory());

  jobQueueContract(() => {
    const queue = new RecordingJobQueue();
    return { queue, receive: async () => queue.take().map((m) => JSON.stringify(m)) };
  });
  settlementQueueContract(() => {
    const queue = new RecordingSettlementQueue();
    return { queue, receive: async () => queue.take().map((m) => JSON.stringify(m)) };
  });

  connectionPushContract((): PushHarness => {
    const push = new RecordingConnectionPush();
    return {
      push,
      connect: async () => {
        const connectionId = uniqueId("conn");
        let read = 0;
        return {
          connectionId,
          nextMessage: async () => {
            const messages = push.messagesTo(connectionId);
            if (read >= messages.length) throw new Error(`no message for ${connectionId}`);
            return messages[read++];
          },
          close: async () => void push.gone.add(connectionId),
        };
      },
    };
  });
});
