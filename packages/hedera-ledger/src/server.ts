import * as grpc from "@grpc/grpc-js";
import { proto } from "@hashgraph/proto";
import { join } from "node:path";
import { hederaRpcMethods } from "./grpc-services.js";
import { Journal } from "./journal.js";
import { Ledger } from "./ledger.js";
import { startScheduleClock } from "./schedule-clock.js";
import { getNodes, subscribeTopic } from "./mirror/topic-stream.js";
import { startMirrorRest } from "./mirror/rest.js";

export interface EmbeddedLedgerOptions {
  /** The genesis account 0.0.2's key; it holds the whole HBAR supply at genesis. */
  genesisKey: proto.IKey;
  host?: string;
  /** Consensus node gRPC port (default 50211, what `Client.forLocalNode()` uses). 0 picks one. */
  port?: number;
  /** Mirror node gRPC port (default 5600). The same server answers on both ports. */
  mirrorPort?: number;
  /**
   * Mirror REST API port, always on 127.0.0.1 (default 5551, where the SDK expects a loopback
   * mirror's REST; but 0 when `port` is 0, so parallel test ledgers never collide). 0 picks a free
   * port; `false`/`null` serves no REST API.
   */
  restPort?: number | false | null;
  /** Keep state in this folder (journal.log); omit for an in-memory ledger. */
  dataDir?: string;
  clock?: () => bigint;
}

export interface EmbeddedLedger {
  ledger: Ledger;
  /** `host:port` to use as the key in `Client.forNetwork({ [consensus]: nodeAccountId })`. */
  consensus: string;
  mirror: string;
  /** Mirror REST origin, e.g. `http://127.0.0.1:5551` (the API is under `/api/v1`); undefined when disabled. */
  restUrl: string | undefined;
  nodeAccountId: string;
  close(): Promise<void>;
}

const bindPort = (server: grpc.Server, address: string) =>
  new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );

/**
 * Starts the embedded ledger: a gRPC server on 127.0.0.1 that serves every consensus-node
 * service (transactions and queries) and the mirror node's topic subscription, for the unmodified
 * @hashgraph/sdk. With `dataDir`, state is journaled and rebuilt on the next start.
 */
export async function startEmbeddedLedger(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
  const host = options.host ?? "127.0.0.1";
  const journal = options.dataDir ? new Journal(join(options.dataDir, "journal.log")) : undefined;
  const ledger = new Ledger({
    genesisKey: options.genesisKey,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(journal ? { onAccepted: (entry: { consensusNanos: bigint; bytes: Uint8Array }) => journal.append(entry) } : {}),
  });
  for (const entry of journal?.read() ?? []) ledger.replay(entry);
  // Scheduled transactions waiting for their expiry run on time even when no transaction arrives.
  const stopScheduleClock = startScheduleClock(ledger);

  const server = new grpc.Server({ "grpc.max_receive_message_length": 1 << 20 });
  const identity = (value: Buffer) => value;
  let consensusPort = 0;
  const methods = hederaRpcMethods();
  const byService = new Map<string, Record<string, grpc.MethodDefinition<Buffer, Buffer>>>();
  for (const method of methods) {
    const definition = byService.get(method.service) ?? {};
    definition[method.name] = {
      path: method.path,
      requestStream: false,
      responseStream: method.responseStream,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    };
    byService.set(method.service, definition);
  }
  for (const definition of byService.values()) {
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(definition)) {
      const request = methods.find((m) => m.path === method.path)!.request.replace(/^proto\./, "");
      if (method.path === "/com.hedera.mirror.api.proto.ConsensusService/subscribeTopic") implementation[name] = subscribeTopic(ledger);
      else if (method.path === "/com.hedera.mirror.api.proto.NetworkService/getNodes") implementation[name] = getNodes(ledger, () => ({ host, port: consensusPort }));
      else if (request === "Transaction")
        implementation[name] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) =>
          answer(callback, () => proto.TransactionResponse.encode(ledger.submitTransaction(call.request)).finish());
      else if (request === "Query")
        implementation[name] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) =>
          answer(callback, () => proto.Response.encode(ledger.query(call.request)).finish());
    }
    server.addService(definition, implementation);
  }

  consensusPort = await bindPort(server, `${host}:${options.port ?? 50211}`);
  const mirrorPort = options.mirrorPort === undefined ? 5600 : options.mirrorPort;
  const boundMirror = mirrorPort === consensusPort ? consensusPort : await bindPort(server, `${host}:${mirrorPort}`);
  const restPort = options.restPort === undefined ? (options.port === 0 ? 0 : 5551) : options.restPort;
  const rest =
    restPort === false || restPort === null
      ? undefined
      : await startMirrorRest(ledger, restPort).catch((error: unknown) => {
          server.forceShutdown();
          throw error;
        });
  return {
    ledger,
    consensus: `${host}:${consensusPort}`,
    mirror: `${host}:${boundMirror}`,
    restUrl: rest?.url,
    nodeAccountId: ledger.nodeAccountId,
    close: async () => {
      stopScheduleClock();
      await rest?.close();
      await new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 2_000).unref();
      });
    },
  };
}

/** Answers a unary call; an unexpected exception becomes gRPC INTERNAL (never a crash). */
function answer(callback: grpc.sendUnaryData<Buffer>, produce: () => Uint8Array) {
  try {
    callback(null, Buffer.from(produce()));
  } catch (error) {
    callback({ code: grpc.status.INTERNAL, details: (error as Error).message } as grpc.ServiceError, null);
  }
}
