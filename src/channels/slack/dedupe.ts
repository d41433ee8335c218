/**
 * Remembers which Slack events were already handled, so a retry (`x-slack-retry-num`, or Socket
 * Mode's retry_attempt) of an event, or the same message delivered as both `message` and
 * `app_mention`, is answered once. In memory, with expiry: Slack retries within minutes, and the
 * app runs as one process. (After a restart a retry is answered, which is what a lost first
 * delivery needs anyway.)
 */
export class SeenEvents {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time a key is claimed (within the expiry), false afterwards. */
  claim(key: string): boolean {
    const t = this.now();
    const expires = this.seen.get(key);
    if (expires !== undefined && expires > t) return false;
    this.seen.set(key, t + this.ttlMs);
    if (this.seen.size > this.maxEntries) this.prune(t);
    return true;
  }

  /** Forgets a claim (the work failed and may be tried again). */
  release(key: string): void {
    this.seen.delete(key);
  }

  has(key: string): boolean {
    const expires = this.seen.get(key);
    return expires !== undefined && expires > this.now();
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(t: number): void {
    for (const [k, exp] of this.seen) if (exp <= t) this.seen.delete(k);
    // Still too many (a flood within the expiry): drop the oldest claims (Map keeps insertion order).
    const excess = this.seen.size - this.maxEntries;
    if (excess > 0) {
      let i = 0;
      for (const k of this.seen.keys()) {
        if (i++ >= excess) break;
        this.seen.delete(k);
      }
    }
  }
}
