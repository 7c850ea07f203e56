import { createHash } from "node:crypto";
import { NANOS_PER_SECOND, type Nanos } from "./codec.js";

/**
 * The HCS topic running hash, version 3, byte for byte as a consensus node computes it.
 *
 * Source: hiero-consensus-node
 * `hedera-node/hedera-consensus-service-impl/.../handlers/ConsensusSubmitMessageHandler.java`,
 * `updateRunningHashAndSequenceNumber` (same writes as hedera-services `MerkleTopic` before it):
 *
 * ```java
 * try (var out = new ObjectOutputStream(boas)) {
 *   out.writeObject(previousRunningHash);          // byte[48]
 *   out.writeLong(RUNNING_HASH_VERSION);           // 3L
 *   out.writeLong(payer.shardNum()); out.writeLong(payer.realmNum()); out.writeLong(payer.accountNum());
 *   out.writeLong(topic.shardNum()); out.writeLong(topic.realmNum()); out.writeLong(topic.topicNum());
 *   out.writeLong(consensusNow.getEpochSecond());
 *   out.writeInt(consensusNow.getNano());
 *   out.writeLong(++sequenceNumber);
 *   out.writeObject(sha384(message));               // byte[48]
 *   out.flush();
 *   runningHash = sha384(boas.toByteArray());
 * }
 * ```
 *
 * The payer is the transaction id's account; both hashes go through `writeObject` (a serialized
 * `byte[]` object), not `write(byte[])`. The stream `sha384` is taken over is therefore 211 bytes:
 *
 * | offset | bytes | what |
 * |---|---|---|
 * | 0 | `AC ED 00 05` | STREAM_MAGIC, STREAM_VERSION (then the stream enters block-data mode) |
 * | 4 | `75` | TC_ARRAY: `writeObject(previousRunningHash)` (leaving block-data mode, nothing buffered) |
 * | 5 | `72 00 02 5B 42` | TC_CLASSDESC, class name `"[B"` as writeUTF (u16 length + bytes); handle 0x7E0000 |
 * | 10 | `AC F3 17 F8 06 08 54 E0` | serialVersionUID of `byte[]` (-5984413125824719648L) |
 * | 18 | `02 00 00 78 70` | flags SC_SERIALIZABLE, 0 fields, TC_ENDBLOCKDATA, super class TC_NULL |
 * | 23 | `00 00 00 30` + 48 bytes | array length (int) and the previous running hash; array handle 0x7E0001 |
 * | 75 | `77 4C` | TC_BLOCKDATA, 76 bytes: the primitives buffered in block-data mode, drained by the next writeObject |
 * | 77 | 76 bytes | longs (big-endian): version 3, payer shard/realm/num, topic shard/realm/num, consensus seconds; int: consensus nanos; long: the new sequence number (8·8 + 4 + 8) |
 * | 153 | `75 71 00 7E 00 00` | TC_ARRAY, TC_REFERENCE to the `[B` class descriptor written first (handle 0x7E0000) |
 * | 159 | `00 00 00 30` + 48 bytes | length and SHA-384(message) |
 *
 * `flush()` has nothing left to drain; `close()` runs after the hash is taken.
 */
export const RUNNING_HASH_VERSION = 3;
export const RUNNING_HASH_BYTES = 48;

const STREAM_MAGIC = 0xaced;
const STREAM_VERSION = 5;
const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_ARRAY = 0x75;
const TC_BLOCKDATA = 0x77;
const TC_BLOCKDATALONG = 0x7a;
const TC_ENDBLOCKDATA = 0x78;
const SC_SERIALIZABLE = 0x02;
const BASE_WIRE_HANDLE = 0x7e0000;
/** `java.io.ObjectStreamClass.lookup(byte[].class).getSerialVersionUID()`. */
const BYTE_ARRAY_SERIAL_VERSION_UID = -5984413125824719648n;
/** `ObjectOutputStream.BlockDataOutputStream.MAX_BLOCK_SIZE`. */
const MAX_BLOCK_SIZE = 1024;

/**
 * The subset of `java.io.ObjectOutputStream` the running hash uses: `writeLong`, `writeInt` (buffered
 * as block data) and `writeObject(byte[])` (a serialized array object, with the `[B` class
 * descriptor written in full once and referenced by handle afterwards). Each `writeObject` call
 * writes a new array object (as distinct Java arrays would be); identical contents are not shared.
 */
export class JavaObjectOutput {
  private readonly parts: Buffer[] = [];
  private block: Buffer[] = [];
  private blockLength = 0;
  private nextHandle = BASE_WIRE_HANDLE;
  private byteArrayClassHandle: number | undefined;

  constructor() {
    const header = Buffer.alloc(4);
    header.writeUInt16BE(STREAM_MAGIC, 0);
    header.writeUInt16BE(STREAM_VERSION, 2);
    this.parts.push(header);
  }

  writeLong(value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt.asIntN(64, value));
    return this.blockData(b);
  }

  writeInt(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value | 0);
    return this.blockData(b);
  }

  writeObject(array: Uint8Array): this {
    this.drain();
    this.raw(Buffer.of(TC_ARRAY));
    if (this.byteArrayClassHandle === undefined) {
      this.byteArrayClassHandle = this.nextHandle++;
      const uid = Buffer.alloc(8);
      uid.writeBigInt64BE(BYTE_ARRAY_SERIAL_VERSION_UID);
      this.raw(Buffer.of(TC_CLASSDESC, 0x00, 0x02, 0x5b /* [ */, 0x42 /* B */), uid, Buffer.of(SC_SERIALIZABLE, 0x00, 0x00, TC_ENDBLOCKDATA, TC_NULL));
    } else {
      const ref = Buffer.alloc(5);
      ref[0] = TC_REFERENCE;
      ref.writeInt32BE(this.byteArrayClassHandle, 1);
      this.raw(ref);
    }
    this.nextHandle++; // the array object's own handle
    const length = Buffer.alloc(4);
    length.writeInt32BE(array.length);
    this.raw(length, Buffer.from(array));
    return this;
  }

  /** `flush()` then `ByteArrayOutputStream.toByteArray()`. */
  toBytes(): Buffer {
    this.drain();
    return Buffer.concat(this.parts);
  }

  private raw(...buffers: Buffer[]) {
    this.parts.push(...buffers);
  }

  private blockData(bytes: Buffer): this {
    this.block.push(bytes);
    this.blockLength += bytes.length;
    return this;
  }

  /** Writes the buffered primitives as block-data records of at most MAX_BLOCK_SIZE bytes. */
  private drain() {
    const data = Buffer.concat(this.block);
    this.block = [];
    this.blockLength = 0;
    for (let offset = 0; offset < data.length; offset += MAX_BLOCK_SIZE) {
      const chunk = data.subarray(offset, offset + MAX_BLOCK_SIZE);
      if (chunk.length <= 0xff) this.raw(Buffer.of(TC_BLOCKDATA, chunk.length));
      else {
        const header = Buffer.alloc(5);
        header[0] = TC_BLOCKDATALONG;
        header.writeInt32BE(chunk.length, 1);
        this.raw(header);
      }
      this.raw(chunk);
    }
  }
}

const sha384 = (data: Uint8Array) => createHash("sha384").update(data).digest();

/** `shard.realm.num` → three longs. */
function entityParts(id: string): [bigint, bigint, bigint] {
  const parts = id.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^\d+$/.test(p))) throw new Error(`not an entity id: ${id}`);
  return [BigInt(parts[0]!), BigInt(parts[1]!), BigInt(parts[2]!)];
}

export interface RunningHashInput {
  /** The topic's running hash before this message (48 zero bytes for a new topic). */
  previousRunningHash: Uint8Array;
  /** The transaction id's account, `shard.realm.num`. */
  payer: string;
  topic: string;
  consensusNanos: Nanos;
  /** The new message's sequence number (the topic's previous sequence number + 1). */
  sequenceNumber: bigint;
  message: Uint8Array;
}

/** The exact bytes a consensus node hashes for a v3 running hash (see the table above). */
export function runningHashV3Preimage(input: RunningHashInput): Buffer {
  const out = new JavaObjectOutput();
  out.writeObject(input.previousRunningHash);
  out.writeLong(BigInt(RUNNING_HASH_VERSION));
  for (const part of entityParts(input.payer)) out.writeLong(part);
  for (const part of entityParts(input.topic)) out.writeLong(part);
  // Instant.getEpochSecond() / getNano(): floor division, nanos always in 0..999_999_999.
  const seconds = input.consensusNanos >= 0n ? input.consensusNanos / NANOS_PER_SECOND : -((-input.consensusNanos + NANOS_PER_SECOND - 1n) / NANOS_PER_SECOND);
  out.writeLong(seconds);
  out.writeInt(Number(input.consensusNanos - seconds * NANOS_PER_SECOND));
  out.writeLong(input.sequenceNumber);
  out.writeObject(sha384(input.message));
  return out.toBytes();
}

/** The topic's new running hash after `message` reached consensus (running hash version 3). */
export function nextRunningHash(input: RunningHashInput): Buffer {
  return sha384(runningHashV3Preimage(input));
}
