/**
 * @module @tensornode/hedera-ledger
 * An embedded Hedera ledger for the real @hashgraph/sdk: `startEmbeddedLedger({ genesisKey })`.
 */
export { startEmbeddedLedger, type EmbeddedLedger, type EmbeddedLedgerOptions } from "./server.js";
export { Ledger, LIMITS, TOTAL_SUPPLY_TINYBARS, type LedgerOptions } from "./ledger.js";
export { Status, LedgerError } from "./codec.js";
export { loadOrCreateGenesisKey, ed25519PublicKeyOf } from "./genesis-key.js";
export { TRANSACTION_TYPES, BASE_FEE } from "./transactions/index.js";
export { QUERY_TYPES } from "./queries/index.js";
