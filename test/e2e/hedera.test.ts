import { HederaLedger, hederaConfigFrom } from "@tensornode/hedera";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNetwork, type TestNetwork } from "./harness.js";

/**
 * The local network's Hedera side: the embedded ledger is up with a funded treasury, an audit
 * topic only the treasury can write to, and accounts for the developer, miners and validators;
 * handlers can build the Hedera adapter from the same SST Config names they read in AWS.
 */
let t: TestNetwork;
let ledger: HederaLedger;

beforeAll(async () => {
  t = await startTestNetwork();
  ledger = new HederaLedger(t.network.hedera.config);
});
afterAll(async () => {
  await ledger?.close();
  await t?.close();
});

describe("local network: Hedera", () => {
  it("provisions the treasury, the audit topic and the participants' accounts", async () => {
    const accounts = t.network.hedera.accounts;
    expect(accounts.miners).toHaveLength(3);
    expect(accounts.validators).toHaveLength(2);
    const mirror = t.network.urls.hederaMirrorRest;
    const developer = (await (await fetch(`${mirror}/api/v1/accounts/${accounts.developer.accountId}`)).json()) as { balance: { balance: number }; key: { _type: string } };
    // 1,000 ℏ opening balance, less the 500 ℏ the demo account's deposit sent to the treasury and its fee.
    expect(developer.balance.balance).toBeLessThan(500 * 100_000_000);
    expect(developer.balance.balance).toBeGreaterThan(499 * 100_000_000);
    expect(developer.key._type).toBe("ED25519");
    const topic = (await (await fetch(`${mirror}/api/v1/topics/${accounts.auditTopicId}`)).json()) as { memo: string };
    expect(topic.memo).toBe("tensornode audit trail");
  });

  it("pays a miner from the treasury and writes the audit trail", async () => {
    const miner = t.network.hedera.accounts.miners[0]!.accountId;
    const [outcome] = await ledger.transfer([{ accountId: miner, amount: 12_345n }], { memo: "epoch 1 reward" });
    expect(outcome).toMatchObject({ status: "SUCCESS" });
    const audit = await ledger.submitMessage(t.network.hedera.accounts.auditTopicId, JSON.stringify({ epoch: 1, paid: [{ miner, amount: "12345" }] }));
    expect(audit.sequenceNumber).toBeGreaterThanOrEqual(1n);
    expect(await ledger.transactionStatus(outcome!.transactionId)).toMatchObject({ status: "SUCCESS" });
  });

  it("gives handlers the Hedera configuration under the SST Config names", async () => {
    const { Config } = await import("sst/node/config");
    const config = hederaConfigFrom({ ...(Config as unknown as Record<string, string>), ...process.env });
    expect(config).toMatchObject({ network: "local", operatorId: t.network.hedera.accounts.treasury.accountId, mirrorRestUrl: t.network.urls.hederaMirrorRest });
  });
});
