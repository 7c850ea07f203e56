import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { JavaObjectOutput, RUNNING_HASH_VERSION, nextRunningHash, runningHashV3Preimage } from "../src/running-hash.js";

const sha384 = (data: Uint8Array) => createHash("sha384").update(data).digest();
const hex = (data: Uint8Array) => Buffer.from(data).toString("hex");

/** Case 1 of test/fixtures/RunningHashVectors.java, computed once with OpenJDK 17's ObjectOutputStream. */
const FIRST_MESSAGE = {
  input: {
    previousRunningHash: new Uint8Array(48),
    payer: "0.0.2",
    topic: "0.0.1001",
    consensusNanos: 1_700_000_000_123_456_789n,
    sequenceNumber: 1n,
    message: Buffer.from("hello"),
  },
  preimage:
    "aced0005757200025b42acf317f8060854e0020000787000000030" +
    "00".repeat(48) +
    "774c" +
    "0000000000000003" + // version
    "0000000000000000" + "0000000000000000" + "0000000000000002" + // payer 0.0.2
    "0000000000000000" + "0000000000000000" + "00000000000003e9" + // topic 0.0.1001
    "000000006553f100" + "075bcd15" + // 1700000000 s, 123456789 ns
    "0000000000000001" + // sequence number
    "7571007e0000" + "00000030" + // TC_ARRAY, TC_REFERENCE 0x7e0000 ([B), length 48
    "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f", // sha384("hello")
  hash: "84d740cd7d99e22a962a56d92e6af27e2dbbbc5fbb94530800c7d8d27431b32da66a7bcb43ea40214e5f7c288550b6aa",
};

describe("topic running hash (v3)", () => {
  it("frames the stream exactly as java.io.ObjectOutputStream does (211 bytes) and hashes it", () => {
    const preimage = runningHashV3Preimage(FIRST_MESSAGE.input);
    expect(preimage.length).toBe(211);
    expect(hex(preimage)).toBe(FIRST_MESSAGE.preimage);
    expect(hex(nextRunningHash(FIRST_MESSAGE.input))).toBe(FIRST_MESSAGE.hash);
    expect(RUNNING_HASH_VERSION).toBe(3);
  });

  it("reproduces the published vectors of the Hedera Java SDK's running hash (v1 layout, same framing)", () => {
    // hedera-sdk-java ConsensusTopicRunningHashTest: topic 1.2.3, message "first message", nanos 0.
    // Layout: writeObject(prev), writeLong(shard, realm, num, seconds), writeInt(nanos), writeLong(seq), writeObject(message).
    const v1 = (previous: Uint8Array, seconds: bigint, sequence: bigint) =>
      hex(sha384(new JavaObjectOutput().writeObject(previous).writeLong(1n).writeLong(2n).writeLong(3n).writeLong(seconds).writeInt(0).writeLong(sequence).writeObject(Buffer.from("first message")).toBytes()));
    const first = v1(new Uint8Array(48), 1_234_567_890n, 1n);
    expect(first).toBe("df4162eebdb4aae3664ced2a764068508c576c6787561f44c4e4ce89ada124ba9c9db77cdc08057dd9b18759904e58aa");
    expect(v1(Buffer.from(first, "hex"), 1_234_567_892n, 124n)).toBe("608624a1d723186fa9b56147ca3786a65424b56bfe0a3de48049a3656d4eaf93fdf8eefab6c56db38ac2544c8bb6c312");
  });

  it("splits block data longer than 1024 bytes the way ObjectOutputStream does", () => {
    const out = new JavaObjectOutput();
    for (let i = 0; i < 129; i++) out.writeLong(BigInt(i)); // 1032 bytes
    const bytes = out.writeObject(new Uint8Array(0)).toBytes();
    expect(hex(bytes.subarray(4, 9))).toBe("7a00000400"); // TC_BLOCKDATALONG, 1024
    expect(hex(bytes.subarray(9 + 1024, 9 + 1024 + 2))).toBe("7708"); // TC_BLOCKDATA, 8
  });

  const hasJava = spawnSync("java", ["-version"], { stdio: "ignore" }).status === 0;
  it.skipIf(!hasJava)("matches the real ObjectOutputStream on every case of RunningHashVectors.java (one JVM run)", () => {
    const program = fileURLToPath(new URL("./fixtures/RunningHashVectors.java", import.meta.url));
    const lines = execFileSync("java", [program], { encoding: "utf8", timeout: 20_000 }).trim().split("\n");
    expect(lines.length).toBe(3);
    for (const line of lines) {
      const [payer, topic, seconds, nanos, sequence, previous, message, preimage, hash] = line.trim().split(" ");
      const input = {
        previousRunningHash: Buffer.from(previous!, "hex"),
        payer: payer!,
        topic: topic!,
        consensusNanos: BigInt(seconds!) * 1_000_000_000n + BigInt(nanos!),
        sequenceNumber: BigInt(sequence!),
        message: message === "-" ? new Uint8Array(0) : Buffer.from(message!, "hex"),
      };
      expect(hex(runningHashV3Preimage(input))).toBe(preimage);
      expect(hex(nextRunningHash(input))).toBe(hash);
    }
    expect(lines[0]!.trim().split(" ")[8]).toBe(FIRST_MESSAGE.hash);
  });
});
