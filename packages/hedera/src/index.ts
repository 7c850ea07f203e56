/**
 * @module @tensornode/hedera
 * The core's Ledger port on Hedera (embedded local ledger, testnet or mainnet by configuration).
 */
export { HederaLedger, CREDITS_PER_TRANSFER } from "./hedera-ledger.js";
export { createClient, hederaConfigFrom, parsePrivateKey, MIRROR_REST, type HederaConfig } from "./config.js";
export { MirrorKeyDirectory, MirrorRestClient, mirrorRestUrlFrom, toMirrorTransactionId, type MirrorAccount, type MirrorTransaction } from "./mirror-rest.js";
export { MirrorDepositReader } from "./mirror-deposits.js";
