/**
 * A small client for the mirror node REST API (`/api/v1/...`): the shapes TensorNode reads. The
 * mirror is the source of truth for history; consensus nodes keep receipts only for minutes.
 */
export interface MirrorAccount {
  account: string;
  key: { _type: string; key: string } | null;
  balance?: { balance: number; timestamp: string };
}

export interface MirrorTransaction {
  transaction_id: string;
  consensus_timestamp: string;
  result: string;
  name: string;
  memo_base64?: string;
  /** Amounts beyond 2^53 arrive as strings (see `parseExactAmounts`). */
  transfers?: Array<{ account: string; amount: number | string }>;
}

/**
 * The mirror writes tinybar amounts as JSON numbers; above 2^53 (about 90 million ℏ) `JSON.parse`
 * would round them. Amounts of 16 digits or more are read as strings instead, which `BigInt()`
 * takes exactly (smaller ones stay numbers).
 */
export function parseExactAmounts(text: string): unknown {
  return JSON.parse(text.replace(/("amount"\s*:\s*)(-?\d{16,})(?=\s*[,}])/g, '$1"$2"'));
}

export class MirrorRestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async get<T>(path: string): Promise<T | null> {
    const response = await fetch(`${this.baseUrl.replace(/\/$/, "")}${path}`, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: "application/json" } });
    // 400: the mirror rejects an id it cannot parse; for a lookup that is "no such entity".
    if (response.status === 404 || response.status === 400) return null;
    if (!response.ok) throw new Error(`mirror ${path}: HTTP ${response.status}`);
    return parseExactAmounts(await response.text()) as T;
  }

  account(accountId: string): Promise<MirrorAccount | null> {
    return this.get<MirrorAccount>(`/api/v1/accounts/${encodeURIComponent(accountId)}`);
  }

  /** `0.0.2@1700000000.000000001` or the mirror's `0.0.2-1700000000-000000001`. */
  async transaction(transactionId: string): Promise<MirrorTransaction | null> {
    const body = await this.get<{ transactions: MirrorTransaction[] }>(`/api/v1/transactions/${encodeURIComponent(toMirrorTransactionId(transactionId))}`);
    return body?.transactions?.[0] ?? null;
  }

  async transactionsOf(accountId: string, afterTimestamp: string | undefined, limit: number): Promise<MirrorTransaction[]> {
    const query = new URLSearchParams({ "account.id": accountId, order: "asc", limit: String(limit) });
    if (afterTimestamp) query.set("timestamp", `gt:${afterTimestamp}`);
    const body = await this.get<{ transactions: MirrorTransaction[] }>(`/api/v1/transactions?${query}`);
    return body?.transactions ?? [];
  }
}

export function toMirrorTransactionId(id: string): string {
  const match = /^(\d+\.\d+\.\d+)@(\d+)\.(\d+)$/.exec(id);
  return match ? `${match[1]}-${match[2]}-${match[3]!.padStart(9, "0")}` : id;
}

/**
 * Account key lookup through the mirror alone: what a verifier of signed requests needs, without
 * any operator key (so public-facing functions never hold the treasury's key).
 */
export class MirrorKeyDirectory {
  private readonly mirror: MirrorRestClient;

  /** A mirror base URL, or a client already made for it. */
  constructor(mirror: string | MirrorRestClient) {
    this.mirror = typeof mirror === "string" ? new MirrorRestClient(mirror) : mirror;
  }

  async publicKeyOf(accountId: string): Promise<{ type: "ED25519" | "ECDSA_SECP256K1"; hex: string } | null> {
    const account = await this.mirror.account(accountId);
    const key = account?.key;
    if (key?._type === "ED25519" || key?._type === "ECDSA_SECP256K1") return { type: key._type, hex: key.key.toLowerCase() };
    return null;
  }
}

/** The mirror REST base for a network: an explicit HEDERA_MIRROR_REST wins, else the public mirror. */
export function mirrorRestUrlFrom(values: Record<string, string | undefined>): string {
  if (values.HEDERA_MIRROR_REST) return values.HEDERA_MIRROR_REST;
  if (values.HEDERA_NETWORK === "testnet") return "https://testnet.mirrornode.hedera.com";
  if (values.HEDERA_NETWORK === "mainnet") return "https://mainnet-public.mirrornode.hedera.com";
  throw new Error("Hedera configuration: set HEDERA_MIRROR_REST (or HEDERA_NETWORK to testnet/mainnet)");
}
