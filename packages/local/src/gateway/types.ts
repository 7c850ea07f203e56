/** Calls a handler in-process: resolves its Lambda result, rejects if it threw or timed out. */
export type Invoke = (event: unknown) => Promise<unknown>;

/** One structured log record (access log lines, swallowed handler errors). */
export type Log = (line: Record<string, unknown>) => void;
