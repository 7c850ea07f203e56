import {
  AccountCreateTransaction,
  AccountId,
  AccountInfoQuery,
  Hbar,
  PrecheckStatusError,
  PrivateKey,
  ReceiptStatusError,
  TokenAssociateTransaction,
  TokenCreateTransaction,
  TokenId,
  type Client,
  type Transaction,
  type TransactionReceipt,
} from "@hashgraph/sdk";
import type { startTestLedger } from "./harness.js";

/** Shared helpers of tokens.test.ts and airdrops.test.ts (fungible HTS tokens through the real SDK). */
export type TestLedger = Awaited<ReturnType<typeof startTestLedger>>;

export interface TestAccount {
  id: AccountId;
  key: PrivateKey;
}

export async function newAccount(
  t: TestLedger,
  options: { hbar?: number; maxAuto?: number; receiverSigRequired?: boolean; key?: PrivateKey } = {},
): Promise<TestAccount> {
  const key = options.key ?? PrivateKey.generateED25519();
  const client = t.client();
  let tx = new AccountCreateTransaction().setKeyWithoutAlias(key.publicKey).setInitialBalance(new Hbar(options.hbar ?? 10));
  if (options.maxAuto !== undefined) tx = tx.setMaxAutomaticTokenAssociations(options.maxAuto);
  if (options.receiverSigRequired) tx = tx.setReceiverSignatureRequired(true);
  const frozen = tx.freezeWith(client);
  if (options.receiverSigRequired) await frozen.sign(key);
  const receipt = await (await frozen.execute(client)).getReceipt(client);
  return { id: receipt.accountId!, key };
}

/** Freezes with `client`, adds the given signatures, executes and waits for the receipt. */
export async function run(client: Client, tx: Transaction, ...signers: PrivateKey[]): Promise<TransactionReceipt> {
  tx.freezeWith(client);
  for (const key of signers) await tx.sign(key);
  return (await tx.execute(client)).getReceipt(client);
}

/** `SUCCESS`, `precheck:<STATUS>` (PrecheckStatusError) or `receipt:<STATUS>` (ReceiptStatusError). */
export async function outcome(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "SUCCESS";
  } catch (error) {
    if (error instanceof PrecheckStatusError) return `precheck:${error.status.toString()}`;
    if (error instanceof ReceiptStatusError) return `receipt:${error.status.toString()}`;
    throw error;
  }
}

/** A fungible token whose treasury is `treasury` (which pays and signs). */
export async function createToken(
  t: TestLedger,
  treasury: TestAccount,
  options: { supply?: number; decimals?: number; name?: string; symbol?: string } = {},
): Promise<TokenId> {
  const client = t.client(treasury.id.toString(), treasury.key);
  const tx = new TokenCreateTransaction()
    .setTokenName(options.name ?? "Reward")
    .setTokenSymbol(options.symbol ?? "RWD")
    .setDecimals(options.decimals ?? 0)
    .setInitialSupply(options.supply ?? 1_000)
    .setTreasuryAccountId(treasury.id);
  const receipt = await run(client, tx);
  return receipt.tokenId!;
}

export async function associate(t: TestLedger, account: TestAccount, ...tokens: TokenId[]): Promise<TransactionReceipt> {
  const client = t.client(account.id.toString(), account.key);
  return run(client, new TokenAssociateTransaction().setAccountId(account.id).setTokenIds(tokens));
}

/**
 * The account's balance of `token`; undefined = not associated. Read from the ledger's state, which is
 * synchronous and free; `tokenBalanceByQuery` is the SDK way (AccountInfoQuery; AccountBalanceQuery has no
 * token balances by design, HIP-367).
 */
export function tokenBalance(t: TestLedger, account: AccountId, token: TokenId): number | undefined {
  const balance = t.ledger.ledger.state.accounts.get(account.toString())?.tokens.get(token.toString());
  return balance === undefined ? undefined : Number(balance);
}

/** The same through AccountInfoQuery.tokenRelationships (the SDK's way). */
export async function tokenBalanceByQuery(t: TestLedger, account: AccountId, token: TokenId): Promise<number | undefined> {
  const info = await new AccountInfoQuery().setAccountId(account).execute(t.client());
  return info.tokenRelationships.get(token)?.balance.toNumber();
}
