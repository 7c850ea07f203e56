import * as grpc from "@grpc/grpc-js";
import { proto } from "@hashgraph/proto";
import type { PrivateKey } from "@hashgraph/sdk";
import Long from "long";

/**
 * Talks to the ledger below the SDK: hand-built, hand-signed transactions sent as raw bytes over
 * gRPC, for what the SDK will not send (another node's account id, malformed bytes, a nonce) or
 * would retry (INVALID_NODE_ACCOUNT).
 */
export class RawGrpc {
  private readonly client: grpc.Client;

  constructor(address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure());
  }

  call(path: string, bytes: Uint8Array): Promise<Buffer> {
    return new Promise((resolve, reject) =>
      this.client.makeUnaryRequest(
        path,
        (value: Buffer) => value,
        (value: Buffer) => value,
        Buffer.from(bytes),
        (error, value) => (error ? reject(error) : resolve(value!)),
      ),
    );
  }

  /** Sends transaction bytes to `cryptoTransfer` and returns the precheck code. */
  async submit(bytes: Uint8Array, path = "/proto.CryptoService/cryptoTransfer"): Promise<proto.ResponseCodeEnum> {
    return proto.TransactionResponse.decode(await this.call(path, bytes)).nodeTransactionPrecheckCode ?? proto.ResponseCodeEnum.OK;
  }

  close() {
    this.client.close();
  }
}

const id = (num: number) => ({ shardNum: Long.ZERO, realmNum: Long.ZERO, accountNum: Long.fromNumber(num) });
let uniqueNanos = 0;

export interface RawTransferOptions {
  payer?: number;
  node?: number;
  memo?: string;
  /** Valid start as milliseconds since the epoch (default: 5 s ago). */
  validStartMs?: number;
  nonce?: number;
  scheduled?: boolean;
  fee?: number;
  /** Omit the `data` oneof entirely (a body that is no transaction at all). */
  noData?: boolean;
}

/** A signed CryptoTransfer of 1 tinybar from the payer to 0.0.98, as `proto.Transaction` bytes. */
export function rawTransfer(key: PrivateKey, options: RawTransferOptions = {}): Uint8Array {
  const payer = options.payer ?? 2;
  const ms = options.validStartMs ?? Date.now() - 5_000;
  const body = proto.TransactionBody.create({
    transactionID: {
      accountID: id(payer),
      transactionValidStart: { seconds: Long.fromNumber(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 + (++uniqueNanos % 1_000_000) },
      ...(options.nonce ? { nonce: options.nonce } : {}),
      ...(options.scheduled ? { scheduled: true } : {}),
    },
    nodeAccountID: id(options.node ?? 3),
    transactionFee: Long.fromNumber(options.fee ?? 200_000_000),
    transactionValidDuration: { seconds: Long.fromNumber(120) },
    memo: options.memo ?? "",
    ...(options.noData
      ? {}
      : {
          cryptoTransfer: {
            transfers: {
              accountAmounts: [
                { accountID: id(payer), amount: Long.fromNumber(-1) },
                { accountID: id(98), amount: Long.fromNumber(1) },
              ],
            },
          },
        }),
  });
  const bodyBytes = proto.TransactionBody.encode(body).finish();
  const signature = key.sign(bodyBytes);
  const sigPair = key.type === "ED25519" ? { pubKeyPrefix: key.publicKey.toBytesRaw(), ed25519: signature } : { pubKeyPrefix: key.publicKey.toBytesRaw(), ECDSASecp256k1: signature };
  const signedTransactionBytes = proto.SignedTransaction.encode({ bodyBytes, sigMap: { sigPair: [sigPair] } }).finish();
  return proto.Transaction.encode({ signedTransactionBytes }).finish();
}
