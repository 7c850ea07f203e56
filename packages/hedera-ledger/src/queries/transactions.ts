import type { proto } from "@hashgraph/proto";
import { Status, fail, transactionIdKey } from "../codec.js";
import type { Ledger } from "../ledger.js";

function executed(ledger: Ledger, id: proto.ITransactionID | null | undefined) {
  const found = ledger.state.transactions.get(transactionIdKey(id));
  return found ?? fail(Status.RECEIPT_NOT_FOUND);
}

/** TransactionGetReceipt (free). Consensus is immediate here, so a known transaction always has its final receipt. */
export function transactionReceipt(ledger: Ledger, query: { transactionID?: proto.ITransactionID | null }) {
  return { receipt: executed(ledger, query.transactionID).receipt };
}

/** TransactionGetRecord (paid). */
export function transactionRecord(ledger: Ledger, query: { transactionID?: proto.ITransactionID | null }) {
  const found = ledger.state.transactions.get(transactionIdKey(query.transactionID)) ?? fail(Status.RECORD_NOT_FOUND);
  return { transactionRecord: found.record };
}
