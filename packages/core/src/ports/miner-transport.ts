/**
 * How the network talks to a miner: one HTTP request in the OpenAI wire format, signed with the
 * network's dispatch key by the adapter. The core decides where and when; the adapter only moves
 * bytes, so a request body is forwarded exactly as the client sent it whenever possible.
 */
export interface MinerRequest {
  endpoint: string;
  /** `/v1/chat/completions`, `/v1/embeddings`, ... */
  path: string;
  contentType: string;
  body: Uint8Array;
  requestId: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface MinerReplyHead {
  status: number;
  contentType: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
}

export interface MinerReply extends MinerReplyHead {
  body: Uint8Array;
}

export interface MinerStreamReply extends MinerReplyHead {
  /** The body as it arrives. Consuming it to the end (or `cancel`) releases the connection. */
  body: AsyncIterable<Uint8Array>;
  cancel(): void;
}

/** Thrown by a transport when the miner could not be reached or did not answer in time. */
export class MinerUnreachableError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = "MinerUnreachableError";
  }
}

export interface MinerTransport {
  /** The whole reply, buffered. */
  send(request: MinerRequest): Promise<MinerReply>;
  /** Resolves once the reply's status and headers arrived; the body streams. */
  stream(request: MinerRequest): Promise<MinerStreamReply>;
}
