import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { AccountRecord, AccountStore, CreditedDeposit } from "@tensornode/core";
import { isConditionFailure, type TableRef } from "./client.js";
import { keys } from "./keys.js";

/**
 * Accounts and their balances. A deposit is credited in one transaction with a deposit item keyed
 * by its Hedera transaction id, so the same deposit can never be credited twice.
 */
export class DynamoAccountStore implements AccountStore {
  constructor(private readonly table: TableRef) {}

  async create(account: { accountId: string; createdAt: string }): Promise<boolean> {
    try {
      // An update, not a put: deposits that arrived before the account was opened are on the item already.
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.account(account.accountId),
          UpdateExpression: "SET #type = :type, accountId = :id, createdAt = :createdAt ADD balanceTinybars :zero",
          ConditionExpression: "attribute_not_exists(createdAt)",
          ExpressionAttributeNames: { "#type": "type" },
          ExpressionAttributeValues: { ":type": "account", ":id": account.accountId, ":createdAt": account.createdAt, ":zero": 0 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(accountId: string): Promise<AccountRecord | null> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.account(accountId), ConsistentRead: true }));
    // An item without createdAt only holds deposits made before the account was opened.
    if (!Item || Item.createdAt === undefined) return null;
    return { accountId: String(Item.accountId), createdAt: String(Item.createdAt), balanceTinybars: BigInt(Item.balanceTinybars as number | bigint) };
  }

  async creditDeposit(deposit: CreditedDeposit): Promise<boolean> {
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table.tableName,
                Item: {
                  ...keys.deposit(deposit.transactionId),
                  ...keys.depositByOwner(deposit.accountId, deposit.consensusTimestamp),
                  type: "deposit",
                  ...deposit,
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Update: {
                TableName: this.table.tableName,
                Key: keys.account(deposit.accountId),
                // Creates the item when the account is not open yet: the deposit is held on it until it opens.
                UpdateExpression: "ADD balanceTinybars :amount",
                ExpressionAttributeValues: { ":amount": deposit.amountTinybars },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error) && (await this.#alreadyCredited(deposit.transactionId))) return false;
      throw error;
    }
  }

  async depositCursor(): Promise<string | undefined> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.depositCursor(), ConsistentRead: true }));
    return Item?.consensusTimestamp as string | undefined;
  }

  async saveDepositCursor(consensusTimestamp: string): Promise<void> {
    await this.table.client.send(new PutCommand({ TableName: this.table.tableName, Item: { ...keys.depositCursor(), consensusTimestamp } }));
  }

  async #alreadyCredited(transactionId: string): Promise<boolean> {
    const { Item } = await this.table.client.send(new GetCommand({ TableName: this.table.tableName, Key: keys.deposit(transactionId), ConsistentRead: true }));
    return Item !== undefined;
  }
}
