import { request as httpRequest } from "node:http";
import { createHash } from "node:crypto";
import { proto } from "@hashgraph/proto";
import {
  AccountCreateTransaction,
  Hbar,
  KeyList,
  PrivateKey,
  ScheduleCreateTransaction,
  TopicCreateTransaction,
  TopicMessageSubmitTransaction,
  TransactionRecordQuery,
  TransferTransaction,
  type Client,
} from "@hashgraph/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRANSACTION_TYPES } from "../src/index.js";
import type { ScheduleState, TopicMessage, TopicState } from "../src/state.js";
import { keyProto, startTestLedger } from "./harness.js";

/**
 * The mirror node REST subset (src/mirror/rest.ts), read over HTTP after driving the ledger with
 * the real @hashgraph/sdk. Topics go through the SDK when the topic handlers are registered; the
 * same assertions also run on topics written straight into `ledger.state` (always), so the REST
 * shapes are covered whichever handlers exist. Schedules likewise.
 */
let t: Awaited<ReturnType<typeof startTestLedger>>;
let origin: string;
let genesis: Client;
const TOPICS_VIA_SDK = Boolean(TRANSACTION_TYPES.consensusCreateTopic && TRANSACTION_TYPES.consensusSubmitMessage);
const SCHEDULES_VIA_SDK = Boolean(TRANSACTION_TYPES.scheduleCreate);

beforeAll(async () => {
  t = await startTestLedger({ restPort: 0 });
  origin = t.ledger.restUrl!;
  genesis = t.client();
});
afterAll(async () => t?.close());

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function get(path: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${origin}${path}`);
  return { status: response.status, body: await response.json() };
}

/** A raw HTTP request (no URL normalisation), for malformed paths and other methods. */
function raw(method: string, path: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}${path}`, { method }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Follows `links.next` from `path` to the end; returns every page's items. */
async function allPages(path: string, field: string): Promise<{ items: Json[]; pages: number }> {
  const items: Json[] = [];
  let next: string | null = path;
  let pages = 0;
  while (next) {
    const { status, body } = await get(next);
    expect(status).toBe(200);
    items.push(...body[field]);
    next = body.links.next;
    if (++pages > 50) throw new Error("links.next never ended");
  }
  return { items, pages };
}

async function newAccount(key: PrivateKey | KeyList = PrivateKey.generateED25519(), hbar = 10) {
  const tx = new AccountCreateTransaction().setInitialBalance(new Hbar(hbar)).setAccountMemo("mirror test");
  tx.setKeyWithoutAlias(key instanceof KeyList ? key : key.publicKey);
  const receipt = await (await tx.execute(genesis)).getReceipt(genesis);
  return receipt.accountId!.toString();
}

const notFound = { _status: { messages: [{ message: "Not found" }] } };
const invalid = (name: string) => ({ _status: { messages: [{ message: `Invalid parameter: ${name}` }] } });
const mirrorTs = (n: bigint) => `${n / 1_000_000_000n}.${String(n % 1_000_000_000n).padStart(9, "0")}`;

describe("accounts", () => {
  it("returns an ED25519 account with its key, balance and transactions", async () => {
    const key = PrivateKey.generateED25519();
    const id = await newAccount(key, 12);
    const { status, body } = await get(`/api/v1/accounts/${id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      account: id,
      key: { _type: "ED25519", key: key.publicKey.toStringRaw() },
      balance: { balance: 12 * 100_000_000, tokens: [] },
      deleted: false,
      memo: "mirror test",
      receiver_sig_required: false,
      max_automatic_token_associations: 0,
    });
    expect(body.created_timestamp).toMatch(/^\d{10}\.\d{9}$/);
    expect(body.balance.timestamp).toMatch(/^\d{10}\.\d{9}$/);
    // The long-zero EVM address names the same account, as do `1001` and `0.1001`.
    const num = Number(id.split(".")[2]);
    expect(body.evm_address).toBe(`0x${num.toString(16).padStart(40, "0")}`);
    for (const alias of [String(num), `0.${num}`, body.evm_address, body.evm_address.slice(2), `0.0.${body.evm_address.slice(2)}`]) {
      expect((await get(`/api/v1/accounts/${alias}`)).body.account).toBe(id);
    }
    // Its creation is among its transactions (credit of the initial balance).
    expect(body.transactions.map((x: Json) => x.name)).toContain("CRYPTOCREATEACCOUNT");
    expect(body.links).toEqual({ next: null });
  });

  it("returns ECDSA(secp256k1) and key-list keys in the mirror's encodings", async () => {
    const ecdsa = PrivateKey.generateECDSA();
    const ecdsaId = await newAccount(ecdsa);
    expect((await get(`/api/v1/accounts/${ecdsaId}`)).body.key).toEqual({ _type: "ECDSA_SECP256K1", key: ecdsa.publicKey.toStringRaw() });

    const list = new KeyList([PrivateKey.generateED25519().publicKey, PrivateKey.generateECDSA().publicKey]);
    const listId = await newAccount(list);
    const expected = Buffer.from(proto.Key.encode(keyProto(list)).finish()).toString("hex");
    expect((await get(`/api/v1/accounts/${listId}`)).body.key).toEqual({ _type: "ProtobufEncoded", key: expected });
  });

  it("finds accounts by public key (raw or DER hex), ED25519 and ECDSA", async () => {
    const ed = PrivateKey.generateED25519();
    const ec = PrivateKey.generateECDSA();
    const [edId, ecId] = [await newAccount(ed), await newAccount(ec)];
    for (const [key, id] of [[ed, edId], [ec, ecId]] as const) {
      for (const form of [key.publicKey.toStringRaw(), key.publicKey.toStringDer(), `0x${key.publicKey.toStringRaw()}`]) {
        const { status, body } = await get(`/api/v1/accounts?account.publickey=${form}`);
        expect(status).toBe(200);
        expect(body.accounts.map((a: Json) => a.account)).toEqual([id]);
        expect(body.accounts[0].key.key).toBe(key.publicKey.toStringRaw());
        expect(body.links).toEqual({ next: null });
      }
    }
    expect((await get(`/api/v1/accounts?account.publickey=${PrivateKey.generateED25519().publicKey.toStringRaw()}`)).body).toEqual({ accounts: [], links: { next: null } });
    expect(await get("/api/v1/accounts?account.publickey=xyz")).toEqual({ status: 400, body: invalid("account.publickey") });
  });

  it("lists accounts in pages", async () => {
    const { items, pages } = await allPages("/api/v1/accounts?limit=2&balance=false", "accounts");
    const ids = items.map((a) => a.account);
    expect(ids).toEqual([...t.ledger.ledger.state.accounts.keys()].sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2])));
    expect(pages).toBeGreaterThan(2);
    expect(items.every((a) => a.balance === null)).toBe(true);
  });

  it("reports balances now and at an earlier consensus time, and token relationships", async () => {
    const id = await newAccount(undefined, 5);
    const before = t.ledger.ledger.state.lastConsensusNanos;
    await (await new TransferTransaction().addHbarTransfer("0.0.2", Hbar.fromTinybars(-700)).addHbarTransfer(id, Hbar.fromTinybars(700)).execute(genesis)).getReceipt(genesis);

    const now = await get(`/api/v1/balances?account.id=${id}`);
    expect(now.status).toBe(200);
    expect(now.body.balances).toEqual([{ account: id, balance: 500_000_700, tokens: [] }]);
    expect(now.body.links).toEqual({ next: null });
    const then = await get(`/api/v1/balances?account.id=${id}&timestamp=lte:${mirrorTs(before)}`);
    expect(then.body.timestamp).toBe(mirrorTs(before));
    expect(then.body.balances).toEqual([{ account: id, balance: 500_000_000, tokens: [] }]);

    expect((await get(`/api/v1/accounts/${id}/tokens`)).body).toEqual({ tokens: [], links: { next: null } });
    // A token relationship (written into the state: token handlers are another engineer's).
    const account = t.ledger.ledger.state.accounts.get(id)!;
    const tokenId = `0.0.${t.ledger.ledger.state.nextEntityNum++}`;
    t.ledger.ledger.state.tokens.set(tokenId, { id: tokenId, name: "T", symbol: "T", decimals: 2, totalSupply: 1000n, treasury: "0.0.2", memo: "", createdNanos: before });
    account.tokens.set(tokenId, 42n);
    const tokens = await get(`/api/v1/accounts/${id}/tokens`);
    expect(tokens.body.tokens).toEqual([
      { automatic_association: false, balance: 42, created_timestamp: mirrorTs(before), decimals: 2, freeze_status: "NOT_APPLICABLE", kyc_status: "NOT_APPLICABLE", token_id: tokenId },
    ]);
    expect((await get(`/api/v1/accounts/${id}`)).body.balance.tokens).toEqual([{ token_id: tokenId, balance: 42 }]);
    expect((await get(`/api/v1/balances?account.id=${id}`)).body.balances[0].tokens).toEqual([{ token_id: tokenId, balance: 42 }]);
  });
});

describe("transactions", () => {
  it("returns a transfer by id with its transfers, fee, hash and memo", async () => {
    const a = PrivateKey.generateED25519();
    const aId = await newAccount(a);
    const bId = await newAccount();
    const client = t.client(aId, a);
    const response = await new TransferTransaction().addHbarTransfer(aId, Hbar.fromTinybars(-500)).addHbarTransfer(bId, Hbar.fromTinybars(500)).setTransactionMemo("pay b").execute(client);
    const record = await new TransactionRecordQuery().setTransactionId(response.transactionId).execute(client);
    const fee = record.transactionFee.toTinybars().toNumber();
    const validStart = response.transactionId.validStart!;
    const mirrorId = `${aId}-${validStart.seconds.toString()}-${String(validStart.nanos.toNumber()).padStart(9, "0")}`;

    const { status, body } = await get(`/api/v1/transactions/${mirrorId}`);
    expect(status).toBe(200);
    expect(body.transactions).toHaveLength(1);
    const tx = body.transactions[0];
    expect(tx).toMatchObject({
      transaction_id: mirrorId,
      name: "CRYPTOTRANSFER",
      result: "SUCCESS",
      charged_tx_fee: fee,
      memo_base64: Buffer.from("pay b").toString("base64"),
      transaction_hash: Buffer.from(response.transactionHash).toString("base64"),
      scheduled: false,
      nonce: 0,
      node: "0.0.3",
      token_transfers: [],
      valid_start_timestamp: `${validStart.seconds.toString()}.${String(validStart.nanos.toNumber()).padStart(9, "0")}`,
    });
    const consensus = record.consensusTimestamp;
    expect(tx.consensus_timestamp).toBe(`${consensus.seconds.toString()}.${String(consensus.nanos.toNumber()).padStart(9, "0")}`);
    // Sorted by account, as the mirror orders them; the fee goes to 0.0.98.
    expect(tx.transfers).toEqual(
      [
        { account: "0.0.98", amount: fee, is_approval: false },
        { account: aId, amount: -500 - fee, is_approval: false },
        { account: bId, amount: 500, is_approval: false },
      ].sort((x, y) => Number(x.account.split(".")[2]) - Number(y.account.split(".")[2])),
    );

    // The SDK's own form, the hash, and the query filters find (or exclude) the same transaction.
    expect((await get(`/api/v1/transactions/${response.transactionId.toString()}`)).body).toEqual(body);
    expect((await get(`/api/v1/transactions/${Buffer.from(response.transactionHash).toString("hex")}`)).body).toEqual(body);
    expect((await get(`/api/v1/transactions/${mirrorId}?scheduled=false&nonce=0`)).body).toEqual(body);
    expect(await get(`/api/v1/transactions/${mirrorId}?scheduled=true`)).toEqual({ status: 404, body: notFound });
    expect(await get(`/api/v1/transactions/${mirrorId}?nonce=1`)).toEqual({ status: 404, body: notFound });
  });

  it("reports a transfer that failed at consensus with its result and only the fee moved", async () => {
    // The genesis account pays; the debited account signed but cannot cover 5 ℏ.
    const a = PrivateKey.generateED25519();
    const aId = await newAccount(a, 1);
    const tx = await new TransferTransaction().addHbarTransfer(aId, new Hbar(-5)).addHbarTransfer("0.0.98", new Hbar(5)).freezeWith(genesis).sign(a);
    const response = await tx.execute(genesis);
    await expect(response.getReceipt(genesis)).rejects.toThrow(/INSUFFICIENT_ACCOUNT_BALANCE/);
    const body = (await get(`/api/v1/transactions/${response.transactionId.toString()}`)).body;
    const failed = body.transactions[0];
    expect(failed.result).toBe("INSUFFICIENT_ACCOUNT_BALANCE");
    expect(failed.transfers.map((x: Json) => [x.account, x.amount])).toEqual([
      ["0.0.2", -failed.charged_tx_fee],
      ["0.0.98", failed.charged_tx_fee],
    ]);
    expect((await get(`/api/v1/transactions?account.id=${aId}&result=fail`)).body.transactions).toEqual([]);
    expect((await get(`/api/v1/transactions?account.id=0.0.2&result=fail&limit=1`)).body.transactions[0].transaction_id).toBe(failed.transaction_id);
  });

  it("lists an account's transactions in pages, with timestamp, type and result filters", async () => {
    const a = PrivateKey.generateED25519();
    const aId = await newAccount(a);
    const client = t.client(aId, a);
    for (let i = 1; i <= 4; i++) {
      await (await new TransferTransaction().addHbarTransfer(aId, Hbar.fromTinybars(-i)).addHbarTransfer("0.0.2", Hbar.fromTinybars(i)).execute(client)).getReceipt(client);
    }
    const expected = t.ledger.ledger.state.history.filter((x) => x.payer === aId || x.transfers.has(aId)).map((x) => mirrorTs(x.consensusNanos));
    expect(expected).toHaveLength(5); // the create (credit) and 4 transfers

    const asc = await allPages(`/api/v1/transactions?account.id=${aId}&order=asc&limit=2`, "transactions");
    expect(asc.items.map((x) => x.consensus_timestamp)).toEqual(expected);
    expect(asc.pages).toBe(3);
    const desc = await allPages(`/api/v1/transactions?account.id=${aId}&limit=2`, "transactions");
    expect(desc.items.map((x) => x.consensus_timestamp)).toEqual([...expected].reverse());
    const first = await get(`/api/v1/transactions?account.id=${aId}&order=asc&limit=2`);
    expect(first.body.links.next).toBe(`/api/v1/transactions?account.id=${aId}&order=asc&limit=2&timestamp=gt:${expected[1]}`);

    const after = await get(`/api/v1/transactions?account.id=${aId}&order=asc&timestamp=gt:${expected[2]}`);
    expect(after.body.transactions.map((x: Json) => x.consensus_timestamp)).toEqual(expected.slice(3));
    const debits = await get(`/api/v1/transactions?account.id=${aId}&type=debit&transactiontype=cryptotransfer`);
    expect(debits.body.transactions).toHaveLength(4);
    const credits = await get(`/api/v1/transactions?account.id=${aId}&type=credit`);
    expect(credits.body.transactions.map((x: Json) => x.name)).toEqual(["CRYPTOCREATEACCOUNT"]);
    expect((await get(`/api/v1/transactions?account.id=${aId}&result=fail`)).body.transactions).toEqual([]);
  });
});

/** Asserts the topic endpoints against a topic in the state, whoever wrote it. */
async function checkTopic(topic: TopicState) {
  const info = await get(`/api/v1/topics/${topic.id}`);
  expect(info.status).toBe(200);
  expect(info.body).toMatchObject({ topic_id: topic.id, memo: topic.memo, deleted: false, created_timestamp: mirrorTs(topic.createdNanos) });
  expect(info.body.submit_key).toEqual(topic.submitKey ? { _type: "ED25519", key: Buffer.from(topic.submitKey.ed25519!).toString("hex") } : null);

  const expectMessage = (json: Json, m: TopicMessage) => {
    expect(json).toEqual({
      chunk_info: m.chunkInfo
        ? {
            initial_transaction_id: {
              account_id: "0.0.2",
              nonce: 0,
              scheduled: false,
              transaction_valid_start: mirrorTs(BigInt(m.chunkInfo.initialTransactionId.transactionValidStart!.seconds!.toString()) * 1_000_000_000n + BigInt(m.chunkInfo.initialTransactionId.transactionValidStart!.nanos ?? 0)),
            },
            number: m.chunkInfo.number,
            total: m.chunkInfo.total,
          }
        : null,
      consensus_timestamp: mirrorTs(m.consensusNanos),
      message: Buffer.from(m.message).toString("base64"),
      payer_account_id: m.payer,
      running_hash: Buffer.from(m.runningHash).toString("base64"),
      running_hash_version: m.runningHashVersion,
      sequence_number: Number(m.sequenceNumber),
      topic_id: topic.id,
    });
  };

  // Paged two at a time to the end: every message once, in order; the last full page links to an empty one.
  const { items, pages } = await allPages(`/api/v1/topics/${topic.id}/messages?limit=2`, "messages");
  expect(items.map((m) => m.sequence_number)).toEqual(topic.messages.map((m) => Number(m.sequenceNumber)));
  items.forEach((json, i) => expectMessage(json, topic.messages[i]!));
  expect(pages).toBe(Math.floor(topic.messages.length / 2) + 1);
  const firstPage = await get(`/api/v1/topics/${topic.id}/messages?limit=2`);
  expect(firstPage.body.links.next).toBe(`/api/v1/topics/${topic.id}/messages?limit=2&timestamp=gt:${mirrorTs(topic.messages[1]!.consensusNanos)}`);

  const desc = await allPages(`/api/v1/topics/${topic.id}/messages?order=desc&limit=3&sequencenumber=gt:1`, "messages");
  expect(desc.items.map((m) => m.sequence_number)).toEqual(topic.messages.slice(1).map((m) => Number(m.sequenceNumber)).reverse());
  const second = topic.messages[1]!;
  expect((await get(`/api/v1/topics/${topic.id}/messages?timestamp=gte:${mirrorTs(second.consensusNanos)}&limit=1`)).body.messages[0].sequence_number).toBe(2);
  expect((await get(`/api/v1/topics/${topic.id}/messages?sequencenumber=2`)).body.messages.map((m: Json) => m.sequence_number)).toEqual([2]);
  const utf8 = await get(`/api/v1/topics/${topic.id}/messages?encoding=utf-8&limit=1`);
  expect(utf8.body.messages[0].message).toBe(Buffer.from(topic.messages[0]!.message).toString("utf8"));

  const one = await get(`/api/v1/topics/${topic.id}/messages/2`);
  expect(one.status).toBe(200);
  expectMessage(one.body, second);
  expectMessage((await get(`/api/v1/topics/messages/${mirrorTs(second.consensusNanos)}`)).body, second);
  expect(await get(`/api/v1/topics/${topic.id}/messages/999`)).toEqual({ status: 404, body: notFound });
  expect(await get(`/api/v1/topics/${topic.id}/messages?limit=0`)).toEqual({ status: 400, body: invalid("limit") });
  expect(await get(`/api/v1/topics/${topic.id}/messages?encoding=hex`)).toEqual({ status: 400, body: invalid("encoding") });
  expect(await get(`/api/v1/topics/${topic.id}/messages?sequencenumber=gt:x`)).toEqual({ status: 400, body: invalid("sequencenumber") });
  // 101 is capped at the maximum page size of 100.
  expect((await get(`/api/v1/topics/${topic.id}/messages?limit=101`)).status).toBe(200);
}

describe("topics", () => {
  it.runIf(TOPICS_VIA_SDK)("serves topics and messages submitted through the SDK (plain and chunked)", async () => {
    const submitKey = PrivateKey.generateED25519();
    const receipt = await (await new TopicCreateTransaction().setTopicMemo("audit").setSubmitKey(submitKey.publicKey).execute(genesis)).getReceipt(genesis);
    const topicId = receipt.topicId!.toString();
    for (const text of ["one", "two", "three"]) {
      const tx = await new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage(text).freezeWith(genesis).sign(submitKey);
      await (await tx.execute(genesis)).getReceipt(genesis);
    }
    const big = "x".repeat(2_500); // three chunks of at most 1,024 bytes
    const chunked = await new TopicMessageSubmitTransaction().setTopicId(topicId).setMessage(big).freezeWith(genesis).sign(submitKey);
    await (await chunked.execute(genesis)).getReceipt(genesis);

    const topic = t.ledger.ledger.state.topics.get(topicId)!;
    expect(topic.messages).toHaveLength(6);
    const chunks = (await get(`/api/v1/topics/${topicId}/messages?sequencenumber=gte:4`)).body.messages;
    expect(chunks.map((m: Json) => [m.chunk_info.number, m.chunk_info.total])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(new Set(chunks.map((m: Json) => JSON.stringify(m.chunk_info.initial_transaction_id))).size).toBe(1);
    expect(Buffer.concat(chunks.map((m: Json) => Buffer.from(m.message, "base64"))).toString()).toBe(big);
    await checkTopic(topic);
  });

  it("serves topics and messages written into the ledger state", async () => {
    const id = `0.0.${t.ledger.ledger.state.nextEntityNum++}`;
    const submitKey = PrivateKey.generateED25519();
    const created = t.ledger.ledger.state.lastConsensusNanos + 1_000n;
    const validStart = { seconds: proto.Timestamp.create({}).seconds, nanos: 0 };
    const initial = proto.TransactionID.create({ accountID: { shardNum: 0 as never, realmNum: 0 as never, accountNum: 2 as never }, transactionValidStart: { ...validStart, seconds: 1_700_000_000 as never, nanos: 5 } });
    const messages: TopicMessage[] = [];
    let runningHash = new Uint8Array(48);
    for (let i = 1; i <= 7; i++) {
      const message = Buffer.from(i === 3 ? "héllo ✓" : `message ${i}`);
      runningHash = createHash("sha384").update(runningHash).update(message).digest();
      messages.push({
        topicId: id,
        sequenceNumber: BigInt(i),
        consensusNanos: created + BigInt(i) * 1_000n,
        message,
        runningHash,
        runningHashVersion: 3,
        payer: "0.0.2",
        transactionId: initial,
        ...(i >= 5 ? { chunkInfo: { initialTransactionId: initial, number: i - 4, total: 3 } } : {}),
      });
    }
    const topic: TopicState = { id, memo: "written", submitKey: keyProto(submitKey.publicKey), sequenceNumber: 7n, runningHash, createdNanos: created, messages };
    t.ledger.ledger.state.topics.set(id, topic);
    await checkTopic(topic);
    expect((await get(`/api/v1/topics/${id}/messages?sequencenumber=3&encoding=UTF-8`)).body.messages[0].message).toBe("héllo ✓");
  });

  it("answers 404 and 400 for unknown and malformed topics", async () => {
    expect(await get("/api/v1/topics/0.0.987654")).toEqual({ status: 404, body: notFound });
    expect(await get("/api/v1/topics/0.0.987654/messages")).toEqual({ status: 404, body: { _status: { messages: [{ message: "No such topic id - 0.0.987654" }] } } });
    expect(await get("/api/v1/topics/zero/messages")).toEqual({ status: 400, body: invalid("topic.id") });
    expect(await get("/api/v1/topics/0.0.x")).toEqual({ status: 400, body: invalid("topic.id") });
  });
});

describe("schedules", () => {
  it("serves a schedule", async () => {
    const a = PrivateKey.generateED25519();
    const aId = await newAccount(a);
    let scheduleId: string;
    if (SCHEDULES_VIA_SDK) {
      const inner = new TransferTransaction().addHbarTransfer(aId, Hbar.fromTinybars(-10)).addHbarTransfer("0.0.2", Hbar.fromTinybars(10));
      const receipt = await (await new ScheduleCreateTransaction().setScheduledTransaction(inner).setScheduleMemo("later").execute(genesis)).getReceipt(genesis);
      scheduleId = receipt.scheduleId!.toString();
    } else {
      scheduleId = `0.0.${t.ledger.ledger.state.nextEntityNum++}`;
      const body = proto.SchedulableTransactionBody.encode({ memo: "", cryptoTransfer: { transfers: { accountAmounts: [] } } }).finish();
      const schedule: ScheduleState = {
        id: scheduleId,
        creator: "0.0.2",
        payer: "0.0.2",
        memo: "later",
        bodyBytes: body,
        signers: new Set([`ed25519:${t.genesisKey.publicKey.toStringRaw()}`]),
        scheduledTransactionId: {},
        expirationNanos: t.ledger.ledger.state.lastConsensusNanos + 1_800_000_000_000n,
        waitForExpiry: false,
        createdNanos: t.ledger.ledger.state.lastConsensusNanos,
      };
      t.ledger.ledger.state.schedules.set(scheduleId, schedule);
    }
    const state = t.ledger.ledger.state.schedules.get(scheduleId)!;
    const { status, body } = await get(`/api/v1/schedules/${scheduleId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      schedule_id: scheduleId,
      creator_account_id: "0.0.2",
      payer_account_id: "0.0.2",
      memo: "later",
      deleted: false,
      executed_timestamp: null,
      consensus_timestamp: mirrorTs(state.createdNanos),
      expiration_time: mirrorTs(state.expirationNanos),
      wait_for_expiry: false,
      transaction_body: Buffer.from(state.bodyBytes).toString("base64"),
    });
    expect(proto.SchedulableTransactionBody.decode(Buffer.from(body.transaction_body, "base64")).cryptoTransfer).toBeTruthy();
    expect(body.signatures).toContainEqual(expect.objectContaining({ public_key_prefix: Buffer.from(t.genesisKey.publicKey.toBytesRaw()).toString("base64"), type: "ED25519" }));
    expect(await get("/api/v1/schedules/0.0.987654")).toEqual({ status: 404, body: notFound });
    expect(await get("/api/v1/schedules/sched")).toEqual({ status: 400, body: invalid("schedule.id") });
  });
});

describe("errors and robustness", () => {
  it("answers the mirror's 404 and 400 bodies", async () => {
    expect(await get("/api/v1/accounts/0.0.987654")).toEqual({ status: 404, body: notFound });
    expect(await get("/api/v1/accounts/not-an-id")).toEqual({ status: 400, body: invalid("idOrAliasOrEvmAddress") });
    expect(await get("/api/v1/transactions/0.0.2-123")).toEqual({
      status: 400,
      body: { _status: { messages: [{ message: "Invalid Transaction id. Please use \\shard.realm.num-sss-nnn\\ format where sss are seconds and nnn are nanoseconds" }] } },
    });
    expect(await get("/api/v1/transactions/0.0.2-1700000000-000000001")).toEqual({ status: 404, body: notFound });
    expect(await get("/api/v1/transactions/0.0.2-1700000000-1?scheduled=maybe")).toEqual({ status: 400, body: invalid("scheduled") });
    expect(await get("/api/v1/transactions/0.0.2-1700000000-1?nonce=-1")).toEqual({ status: 400, body: invalid("nonce") });
    expect(await get("/api/v1/transactions?account.id=0.0.x")).toEqual({ status: 400, body: invalid("account.id") });
    expect(await get("/api/v1/transactions?timestamp=yesterday")).toEqual({ status: 400, body: invalid("timestamp") });
    expect(await get("/api/v1/transactions?order=sideways")).toEqual({ status: 400, body: invalid("order") });
    expect(await get("/api/v1/balances?account.id=0.0.2&colour=blue")).toEqual({ status: 400, body: { _status: { messages: [{ message: "Unknown query parameter: colour" }] } } });
    expect(await get("/api/v1/nothing/here")).toEqual({ status: 404, body: notFound });
    expect(await get("/elsewhere")).toEqual({ status: 404, body: notFound });
  });

  it("serves GET and HEAD only, and survives malformed requests", async () => {
    const post = await raw("POST", "/api/v1/accounts/0.0.2");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
    expect(JSON.parse(post.text)).toEqual({ _status: { messages: [{ message: "Method not allowed" }] } });
    const head = await raw("HEAD", "/api/v1/accounts/0.0.2");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers["content-type"]).toMatch(/application\/json/);

    const weird = [
      "/api/v1/accounts/%E0%A4%A",
      "/api/v1/accounts/%00",
      "/api/v1/topics/0.0.1/messages/%ZZ",
      "/api/v1/transactions?limit=99999999999999999999999",
      "/api/v1/transactions?timestamp=gt:&timestamp=lt:",
      "/api/v1/balances?account.balance=gt:-1",
      `/api/v1/accounts/${"9".repeat(5000)}`,
      "/api/v1/topics/0.0.1/messages?sequencenumber=99999999999999999999",
      "/api/v1/transactions/0.0.1@1.1?scheduled",
      "//api//v1//accounts//0.0.2",
      "/api/v1/accounts?account.publickey=0x",
    ];
    for (const path of weird) {
      const response = await raw("GET", path);
      expect(response.status, path).toBeGreaterThanOrEqual(200);
      expect(response.status, path).toBeLessThan(500);
      expect(() => JSON.parse(response.text), path).not.toThrow();
    }
    expect((await get("/api/v1/accounts/0.0.2")).status).toBe(200);
  });

  it("reports the genesis balance beyond 2^53 exactly and a fixed exchange rate", async () => {
    const text = await (await fetch(`${origin}/api/v1/balances?account.id=0.0.2`)).text();
    const balance = t.ledger.ledger.state.accounts.get("0.0.2")!.balance;
    expect(balance > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(text).toContain(`"balance":${balance}`);
    const rate = await get("/api/v1/network/exchangerate");
    expect(rate.body.current_rate).toMatchObject({ cent_equivalent: 596_987, hbar_equivalent: 30_000 });
    expect(rate.body.next_rate.expiration_time).toBeGreaterThan(rate.body.current_rate.expiration_time);
  });

  it("binds 127.0.0.1 on a free port when the gRPC port is free-picked, and can be turned off", async () => {
    // Default restPort is 5551 (the SDK's loopback mirror REST), except with `port: 0` as here.
    const defaults = await startTestLedger();
    expect(defaults.ledger.restUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(defaults.ledger.restUrl).not.toBe("http://127.0.0.1:5551");
    expect((await fetch(`${defaults.ledger.restUrl}/api/v1/accounts/0.0.2`)).status).toBe(200);
    await defaults.close();
    const off = await startTestLedger({ restPort: false });
    expect(off.ledger.restUrl).toBeUndefined();
    await off.close();
  });
});
