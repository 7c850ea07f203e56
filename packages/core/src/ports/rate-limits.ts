/**
 * Request counts per API key and minute window, shared by every API instance (DynamoDB), so a
 * key's limit holds across however many Lambda containers serve it.
 */
export interface RateLimitStore {
  /**
   * Takes up to `want` requests from the key's count for the minute starting at `windowStart`
   * (epoch ms), never letting the count pass `limit`, atomically across instances. Returns how
   * many it took: `want`, what was left, or 0 when the window is used up.
   */
  claim(key: string, windowStart: number, want: number, limit: number): Promise<number>;
}
