/**
 * The API's wire objects. Money is always a string of whole tinybars (1 HBAR = 100,000,000
 * tinybars), never a float; `tinybars()` turns one into a bigint for arithmetic.
 */

export type Modality = "llm" | "embeddings" | "stt" | "tts" | "translation" | "vision";
export type UsageUnit = "token" | "second" | "character" | "image";

/** A tinybar amount from the API (a decimal string) as a bigint. */
export const tinybars = (amount: string): bigint => BigInt(amount);

export interface List<T> {
  object: "list";
  data: T[];
}

export interface Page<T> extends List<T> {
  has_more: boolean;
  /** Pass as `before` to get the next (older) page. */
  last_id: string | null;
}

export interface Account {
  object: "account";
  /** The Hedera account id that opened the account. */
  id: string;
  hedera_account_id: string;
  /** Tinybars available, as a string. */
  balance: string;
  currency: "tinybar";
  created_at: string;
  /** How to top up: send HBAR to the treasury with `memo` as the transaction memo. */
  deposit: { treasury_account_id: string; memo: string } | null;
}

export interface ApiKey {
  object: "api_key";
  id: string;
  name: string;
  /** The last characters of the secret, to recognise it. */
  hint: string;
  status: "active" | "revoked";
  rate_limit_per_minute: number | null;
  spend_limit_tinybars: string | null;
  spent_tinybars: string;
  created_at: string;
  revoked_at: string | null;
}

/** A key as created: the only time the secret is shown. */
export interface CreatedApiKey extends ApiKey {
  secret: string;
}

export interface OpenedAccount extends Account {
  api_key: CreatedApiKey;
}

export interface UsageRecord {
  object: "usage";
  /** The request id, or the job id for jobs. */
  id: string;
  operation: string;
  model: string;
  modality: Modality;
  miner_id: string;
  key_id: string;
  unit: UsageUnit;
  units: number;
  price_per_unit: string;
  cost: string;
  currency: "tinybar";
  source: "sync" | "stream" | "job";
  created_at: string;
}

export interface Model {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
  modality: Modality;
  /** How many healthy miners serve it now. */
  miners: number;
  context_length: number | null;
  /** The longest completion any miner serving it generates; a chat without max_tokens is bounded (and billed at most) by it. */
  max_completion_tokens: number | null;
  pricing: { unit: UsageUnit; currency: "tinybar"; min_price_per_unit: string; max_price_per_unit: string };
}

export type JobStatus = "queued" | "running" | "succeeded" | "failed";

export interface Job<Result = unknown> {
  id: string;
  object: "job";
  kind: string;
  status: JobStatus;
  result: Result | null;
  error: { code: string; message: string } | null;
  attempts: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export type ChatContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string; detail?: string } };

export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string | ChatContentPart[] | null;
  name?: string;
}

/** An OpenAI chat completion request (`stream` is implied on the WebSocket). */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  seed?: number | null;
  stop?: string | string[] | null;
  [parameter: string]: unknown;
}

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** An OpenAI `chat.completion.chunk`. The last one a stream yields has no choices and carries `usage`. */
export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: Array<{ index: number; delta: { role?: string; content?: string | null }; finish_reason: string | null; logprobs?: unknown }>;
  usage?: CompletionUsage | null;
  [field: string]: unknown;
}

export interface TranslationRequest {
  model: string;
  input: string | string[];
  /** ISO 639 code, e.g. `en`. */
  source_language: string;
  target_language: string;
}

export interface TranslationResponse {
  object: "list";
  model: string;
  data: Array<{ object: "translation"; index: number; translation: string }>;
  usage: { characters: number };
}

export interface VisionAnalyzeRequest {
  model: string;
  /** A data URL (`data:image/png;base64,...`) or plain base64 PNG/JPEG. */
  image: string;
  /** What to extract; both by default. */
  tasks?: Array<"text" | "objects">;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface VisionAnalysis {
  object: "vision.analysis";
  model: string;
  width: number;
  height: number;
  text: Array<{ text: string; confidence: number; box: Box }>;
  objects: Array<{ label: string; score: number; box: Box }>;
  labels: Array<{ label: string; score: number }>;
  usage: { images: number };
}

/** What a WebSocket job subscription yields. */
export interface JobUpdatedEvent {
  type: "job.updated";
  job: Job;
}
