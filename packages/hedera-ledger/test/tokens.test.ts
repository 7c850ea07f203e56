import {
  AccountId,
  Hbar,
  LedgerId,
  Long,
  PrivateKey,
  Status,
  TokenAssociateTransaction,
  TokenCreateTransaction,
  TokenId,
  TokenInfoQuery,
  TokenSupplyType,
  TokenType,
  TransactionRecordQuery,
  TransferTransaction,
} from "@hashgraph/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestLedger } from "./harness.js";
import { associate, createToken, newAccount, outcome, run, tokenBalance, tokenBalanceByQuery, type TestAccount, type TestLedger } from "./token-helpers.js";

/** Fungible HTS tokens through the real, unmodified @hashgraph/sdk: TokenCreate, TokenAssociate, TokenGetInfo, token CryptoTransfers. */
let t: TestLedger;
let treasury: TestAccount;
let token: TokenId;
beforeAll(async () => {
  t = await startTestLedger();
  treasury = await newAccount(t, { hbar: 100 });
  token = await createToken(t, treasury, { supply: 1_000_000, decimals: 2 });
});
afterAll(async () => t?.close());

const tokenTransfer = (tokenId: TokenId, from: AccountId, to: AccountId, amount: number) =>
  new TransferTransaction().addTokenTransfer(tokenId, from, -amount).addTokenTransfer(tokenId, to, amount);

describe("TokenCreate", () => {
  it("creates a fungible token: receipt token id, treasury associated and credited, record and TokenInfo", async () => {
    const admin = PrivateKey.generateED25519();
    const supply = PrivateKey.generateED25519();
    const client = t.client(treasury.id.toString(), treasury.key);
    const tx = new TokenCreateTransaction()
      .setTokenName("Miner Reward")
      .setTokenSymbol("MRW")
      .setDecimals(8)
      .setInitialSupply(5_000)
      .setTreasuryAccountId(treasury.id)
      .setAdminKey(admin.publicKey)
      .setSupplyKey(supply.publicKey)
      .setTokenMemo("payouts")
      .freezeWith(client);
    await tx.sign(admin);
    const response = await tx.execute(client);
    const receipt = await response.getReceipt(client);
    expect(receipt.status).toBe(Status.Success);
    const id = receipt.tokenId!;
    expect(id.num.toNumber()).toBeGreaterThan(1000);

    const record = await new TransactionRecordQuery().setTransactionId(response.transactionId).execute(client);
    expect(record.tokenTransfers.get(id)?.get(treasury.id)?.toNumber()).toBe(5_000);
    expect(record.automaticTokenAssociations.map((a) => `${a.accountId}/${a.tokenId}`)).toEqual([`${treasury.id}/${id}`]);
    expect(record.transactionFee.toTinybars().toNumber()).toBe(100_000_000);

    expect(tokenBalance(t, treasury.id, id)).toBe(5_000);

    const info = await new TokenInfoQuery().setTokenId(id).execute(client);
    expect(info.tokenId.toString()).toBe(id.toString());
    expect(info.name).toBe("Miner Reward");
    expect(info.symbol).toBe("MRW");
    expect(info.decimals).toBe(8);
    expect(info.totalSupply.toNumber()).toBe(5_000);
    expect(info.treasuryAccountId?.toString()).toBe(treasury.id.toString());
    expect(info.adminKey?.toString()).toBe(admin.publicKey.toString());
    expect(info.supplyKey?.toString()).toBe(supply.publicKey.toString());
    expect(info.tokenMemo).toBe("payouts");
    expect(info.tokenType).toBe(TokenType.FungibleCommon);
    expect(info.supplyType).toBe(TokenSupplyType.Infinite);
    expect(info.ledgerId?.toString()).toBe(LedgerId.LOCAL_NODE.toString());
    expect(info.autoRenewAccountId?.toString()).toBe(treasury.id.toString());
    expect(info.isDeleted).toBe(false);
    expect(info.defaultFreezeStatus).toBeNull();
    expect(info.expirationTime!.seconds.toNumber()).toBeGreaterThan(Date.now() / 1000 + 80 * 86_400);
  });

  it("refuses bad names, symbols and missing signatures with Hedera's statuses", async () => {
    const client = t.client(treasury.id.toString(), treasury.key);
    const base = () => new TokenCreateTransaction().setTokenName("Name").setTokenSymbol("SYM").setTreasuryAccountId(treasury.id).setInitialSupply(10);
    expect(await outcome(run(client, base().setTokenName("")))).toBe("receipt:MISSING_TOKEN_NAME");
    expect(await outcome(run(client, base().setTokenSymbol("")))).toBe("receipt:MISSING_TOKEN_SYMBOL");
    expect(await outcome(run(client, base().setTokenName("n".repeat(101))))).toBe("receipt:TOKEN_NAME_TOO_LONG");
    expect(await outcome(run(client, base().setTokenSymbol("é".repeat(51))))).toBe("receipt:TOKEN_SYMBOL_TOO_LONG"); // 102 UTF-8 bytes
    expect(await outcome(run(client, base().setTokenName("a\u0000b")))).toBe("receipt:INVALID_ZERO_BYTE_IN_STRING");
    // The admin key must sign.
    expect(await outcome(run(client, base().setAdminKey(PrivateKey.generateED25519().publicKey)))).toBe("receipt:INVALID_SIGNATURE");
    // The treasury must sign (the genesis operator pays; the treasury does not sign).
    const other = await newAccount(t);
    expect(await outcome(run(t.client(), base().setTreasuryAccountId(other.id)))).toBe("receipt:INVALID_SIGNATURE");
    expect(await outcome(run(t.client(), base().setTreasuryAccountId(other.id), other.key))).toBe("SUCCESS");
    // A treasury that does not exist (hiero-consensus-node preHandle: INVALID_ACCOUNT_ID).
    expect(await outcome(run(client, base().setTreasuryAccountId(AccountId.fromString("0.0.987654"))))).toBe("receipt:INVALID_ACCOUNT_ID");
  });

  it("answers pure-check failures at precheck", async () => {
    const client = t.client(treasury.id.toString(), treasury.key);
    const base = () => new TokenCreateTransaction().setTokenName("Name").setTokenSymbol("SYM").setTreasuryAccountId(treasury.id);
    expect(await outcome(run(client, base().setTokenType(TokenType.NonFungibleUnique).setSupplyKey(treasury.key.publicKey)))).toBe("precheck:NOT_SUPPORTED");
    expect(await outcome(run(client, base().setInitialSupply(Long.fromNumber(-1))))).toBe("precheck:INVALID_TOKEN_INITIAL_SUPPLY");
    expect(await outcome(run(client, base().setMaxSupply(100)))).toBe("precheck:INVALID_TOKEN_MAX_SUPPLY"); // INFINITE with a max
    expect(await outcome(run(client, base().setSupplyType(TokenSupplyType.Finite).setMaxSupply(10).setInitialSupply(11)))).toBe("precheck:INVALID_TOKEN_INITIAL_SUPPLY");
    expect(await outcome(run(client, base().setKycKey(treasury.key.publicKey)))).toBe("precheck:NOT_SUPPORTED");
    const treasuryless = new TokenCreateTransaction().setTokenName("Name").setTokenSymbol("SYM");
    expect(await outcome(run(client, treasuryless))).toBe("precheck:INVALID_TREASURY_ACCOUNT_FOR_TOKEN");
  });

  it("creates a FINITE token and reports its max supply", async () => {
    const client = t.client(treasury.id.toString(), treasury.key);
    const receipt = await run(client, new TokenCreateTransaction().setTokenName("Capped").setTokenSymbol("CAP").setTreasuryAccountId(treasury.id).setSupplyType(TokenSupplyType.Finite).setMaxSupply(1_000).setInitialSupply(1_000));
    const info = await new TokenInfoQuery().setTokenId(receipt.tokenId!).execute(client);
    expect(info.supplyType).toBe(TokenSupplyType.Finite);
    expect(info.maxSupply?.toNumber()).toBe(1_000);
  });

  // AccountInfo._fromProtobuf (SDK 2.81) requires `expirationTime` in CryptoGetInfo's answer.
  it("AccountInfoQuery reports the treasury's token relationship", async () => {
    expect(await tokenBalanceByQuery(t, treasury.id, token)).toBe(1_000_000);
  });

  it("TokenInfoQuery of an unknown token fails with INVALID_TOKEN_ID", async () => {
    expect(await outcome(new TokenInfoQuery().setTokenId(TokenId.fromString("0.0.999999")).execute(t.client()))).toBe("precheck:INVALID_TOKEN_ID");
  });
});

describe("TokenAssociate and token transfers", () => {
  it("associates, then transfers; the receiver's balance rises and the record lists the token transfer", async () => {
    const alice = await newAccount(t);
    const receipt = await associate(t, alice, token);
    expect(receipt.status).toBe(Status.Success);
    expect(tokenBalance(t, alice.id, token)).toBe(0);
    const client = t.client(treasury.id.toString(), treasury.key);
    const response = await tokenTransfer(token, treasury.id, alice.id, 250).execute(client);
    expect((await response.getReceipt(client)).status).toBe(Status.Success);
    expect(tokenBalance(t, alice.id, token)).toBe(250);
    const record = await new TransactionRecordQuery().setTransactionId(response.transactionId).execute(client);
    const moved = record.tokenTransfers.get(token)!;
    expect(moved.get(alice.id)?.toNumber()).toBe(250);
    expect(moved.get(treasury.id)?.toNumber()).toBe(-250);
  });

  it("refuses associations with Hedera's statuses", async () => {
    const bob = await newAccount(t);
    await associate(t, bob, token);
    expect(await outcome(associate(t, bob, token))).toBe("receipt:TOKEN_ALREADY_ASSOCIATED_TO_ACCOUNT");
    expect(await outcome(associate(t, bob, TokenId.fromString("0.0.999999")))).toBe("receipt:INVALID_TOKEN_ID");
    expect(await outcome(associate(t, bob, token, token))).toBe("precheck:TOKEN_ID_REPEATED_IN_TOKEN_LIST");
    // The account must sign: the genesis operator pays, bob does not sign.
    const carol = await newAccount(t);
    expect(await outcome(run(t.client(), new TokenAssociateTransaction().setAccountId(carol.id).setTokenIds([token])))).toBe("receipt:INVALID_SIGNATURE");
    expect(await outcome(run(t.client(), new TokenAssociateTransaction().setAccountId(carol.id).setTokenIds([token]), carol.key))).toBe("SUCCESS");
  });

  it("stops at tokens.maxPerAccount (1,000 associations): TOKENS_PER_ACCOUNT_LIMIT_EXCEEDED", async () => {
    const dave = await newAccount(t);
    // Fill 1,000 relationships directly in state: creating 1,000 tokens through the SDK would be slow.
    const state = t.ledger.ledger.state.accounts.get(dave.id.toString())!;
    for (let i = 0; i < 1_000; i++) state.tokens.set(`0.0.${5_000_000 + i}`, 0n);
    expect(await outcome(associate(t, dave, token))).toBe("receipt:TOKENS_PER_ACCOUNT_LIMIT_EXCEEDED");
    state.tokens.delete("0.0.5000000");
    expect(await outcome(associate(t, dave, token))).toBe("SUCCESS");
  });

  it("refuses an unassociated receiver and a short sender", async () => {
    const erin = await newAccount(t); // maxAutomaticTokenAssociations 0
    const client = t.client(treasury.id.toString(), treasury.key);
    expect(await outcome(run(client, tokenTransfer(token, treasury.id, erin.id, 1)))).toBe("receipt:TOKEN_NOT_ASSOCIATED_TO_ACCOUNT");
    expect(tokenBalance(t, erin.id, token)).toBeUndefined();

    await associate(t, erin, token);
    await run(client, tokenTransfer(token, treasury.id, erin.id, 5));
    const erinClient = t.client(erin.id.toString(), erin.key);
    expect(await outcome(run(erinClient, tokenTransfer(token, erin.id, treasury.id, 6)))).toBe("receipt:INSUFFICIENT_TOKEN_BALANCE");
    // A sender that never associated the token.
    const frank = await newAccount(t);
    const frankClient = t.client(frank.id.toString(), frank.key);
    expect(await outcome(run(frankClient, tokenTransfer(token, frank.id, erin.id, 1)))).toBe("receipt:TOKEN_NOT_ASSOCIATED_TO_ACCOUNT");
    expect(tokenBalance(t, erin.id, token)).toBe(5);
  });

  it("auto-associates a receiver with free maxAutomaticTokenAssociations slots and records it", async () => {
    const gina = await newAccount(t, { maxAuto: 1 });
    const client = t.client(treasury.id.toString(), treasury.key);
    const response = await tokenTransfer(token, treasury.id, gina.id, 7).execute(client);
    expect((await response.getReceipt(client)).status).toBe(Status.Success);
    const record = await new TransactionRecordQuery().setTransactionId(response.transactionId).execute(client);
    expect(record.automaticTokenAssociations.map((a) => `${a.accountId}/${a.tokenId}`)).toEqual([`${gina.id}/${token}`]);
    expect(tokenBalance(t, gina.id, token)).toBe(7);
    // Unlimited (-1) slots.
    const hank = await newAccount(t, { maxAuto: -1 });
    expect(await outcome(run(client, tokenTransfer(token, treasury.id, hank.id, 3)))).toBe("SUCCESS");
    expect(tokenBalance(t, hank.id, token)).toBe(3);
  });

  // hiero-consensus-node AssociateTokenRecipientsStep: with maxAutoAssociations != 0 and no free slot the
  // status is NO_REMAINING_AUTOMATIC_ASSOCIATIONS, not TOKEN_NOT_ASSOCIATED_TO_ACCOUNT.
  it("a receiver whose auto-association slots are used up: NO_REMAINING_AUTOMATIC_ASSOCIATIONS", async () => {
    const ivan = await newAccount(t, { maxAuto: 1 });
    const second = await createToken(t, treasury, { symbol: "TWO" });
    const client = t.client(treasury.id.toString(), treasury.key);
    await run(client, tokenTransfer(token, treasury.id, ivan.id, 1));
    expect(await outcome(run(client, tokenTransfer(second, treasury.id, ivan.id, 1)))).toBe("receipt:NO_REMAINING_AUTOMATIC_ASSOCIATIONS");
  });

  it("applies the list limits: 10 token adjustments, 10 HBAR adjustments, 20 balance changes", async () => {
    const genesis = t.client();
    const gToken = await createToken(t, { id: AccountId.fromString("0.0.2"), key: t.genesisKey }, { symbol: "GEN", supply: 1_000 });
    const receivers = await Promise.all(Array.from({ length: 10 }, () => newAccount(t, { hbar: 1, maxAuto: -1 })));

    // 11 token adjustments (1 debit + 10 credits): refused at precheck by this ledger.
    const eleven = new TransferTransaction().addTokenTransfer(gToken, "0.0.2", -10);
    for (const r of receivers) eleven.addTokenTransfer(gToken, r.id, 1);
    expect(await outcome(run(genesis, eleven))).toBe("precheck:TOKEN_TRANSFER_LIST_SIZE_LIMIT_EXCEEDED");

    // 10 HBAR + 10 token adjustments = 20 balance changes: at the limit, accepted.
    const twenty = new TransferTransaction().addHbarTransfer("0.0.2", Hbar.fromTinybars(-9)).addTokenTransfer(gToken, "0.0.2", -9);
    for (const r of receivers.slice(0, 9)) twenty.addHbarTransfer(r.id, Hbar.fromTinybars(1)).addTokenTransfer(gToken, r.id, 1);
    expect(await outcome(run(genesis, twenty))).toBe("SUCCESS");
    expect(tokenBalance(t, receivers[0]!.id, gToken)).toBe(1);

    // 11 HBAR adjustments.
    const elevenHbar = new TransferTransaction().addHbarTransfer("0.0.2", Hbar.fromTinybars(-10));
    for (const r of receivers) elevenHbar.addHbarTransfer(r.id, Hbar.fromTinybars(1));
    expect(await outcome(run(genesis, elevenHbar))).toBe("precheck:TRANSFER_LIST_SIZE_LIMIT_EXCEEDED");
  });
});
