import { describe, expect, it } from "vitest";
import { parseExactAmounts } from "../src/mirror-rest.js";

describe("parseExactAmounts", () => {
  it("keeps tinybar amounts beyond 2^53 exact, and leaves everything else as JSON.parse would", () => {
    const text = '{"transactions":[{"transfers":[{"account":"0.0.2","amount":-9007199254740993},{"account":"0.0.98","amount": 9007199254740993 },{"account":"0.0.3","amount":12}],"memo_base64":"YW1vdW50","charged_tx_fee":123456789012345678}]}';
    const parsed = parseExactAmounts(text) as { transactions: Array<{ transfers: Array<{ amount: number | string }>; charged_tx_fee: number }> };
    const amounts = parsed.transactions[0]!.transfers.map((t) => t.amount);
    expect(amounts).toEqual(["-9007199254740993", "9007199254740993", 12]);
    expect(amounts.map((a) => BigInt(a))).toEqual([-9007199254740993n, 9007199254740993n, 12n]);
    expect(parsed).toMatchObject({ transactions: [{ memo_base64: "YW1vdW50" }] });
  });
});
