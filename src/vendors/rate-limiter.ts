/**
 * The client-side limit of a vendor's calls in one process (T-Bank's TBANK_RATE_LIMIT): a token bucket of `calls`
 * tokens, shared by every call of the vendor in the process (retries included), where each spent token comes back
 * exactly one window after it was spent.
 *
 * Why our own ~60 lines and not `limiter` or `bottleneck`:
 * - the vendor's window algorithm is undocumented (10 per minute per token, §5). A classic bucket that drips
 *   continuously (`limiter`'s TokenBucket) lets 10 calls through at once and another one every 6 s after that:
 *   up to 19 calls in one minute, which a vendor counting a sliding minute answers with 429. `limiter`'s RateLimiter
 *   adds a fixed-window counter, which still allows 20 calls across a window boundary; `bottleneck`'s reservoir
 *   refreshes on a fixed interval too (and is unmaintained since 2019). Returning each token one window after its use
 *   guarantees at most `calls` calls in ANY window of that length, whichever way the vendor counts;
 * - we need fail-fast admission with a known wait: a call learns at once how long it would queue (its reservation
 *   counts everyone queued before it) and is refused when that exceeds the wait budget (TBANK_MAX_WAIT), with the
 *   time after which a call would go out. `limiter`'s removeTokens waits unbounded and cannot tell the wait up front;
 *   its own README warns it can reorder waiting callers.
 * Reservations are FIFO: `freeAt` holds, per token, the moment it can be spent next, sorted ascending.
 */

export interface RateLimit {
  calls: number;
  windowMs: number;
}

export type Reservation = { granted: true; waitMs: number } | { granted: false; retryAfterMs: number };

/** What a vendor client needs of a rate limit: in this process (RateLimiter), or shared by the replicas (src/cache). */
export interface CallLimiter {
  readonly limit: RateLimit;
  /**
   * Resolves when this call may go out, with a `done` to call when its answer arrived; rejects with RateLimitExceeded,
   * having taken nothing, when it would wait longer than `maxWaitMs`.
   */
  acquire(maxWaitMs: number): Promise<() => void>;
  /** The vendor said 429 anyway: spend nothing for one whole window. Answers how long that is, in ms. */
  backOff(): number;
}

export class RateLimiter implements CallLimiter {
  /** When each of the `calls` tokens can next be spent, ascending (reservations only ever push later times). */
  private freeAt: number[];
  /** Added to the window: absorbs the delay between our grant and the vendor's count of the call. */
  readonly marginMs: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.freeAt = Array.from({ length: limit.calls }, () => Number.NEGATIVE_INFINITY);
    // 2% of the window, between 250 ms and 1 s: a call that waited for its token goes out at the reserved instant,
    // while the call whose token it took may have left late (a busy event loop) — the margin must cover that delay.
    this.marginMs = Math.min(1_000, Math.max(250, Math.round(limit.windowMs * 0.02)));
  }

  /**
   * Takes the earliest free token if it frees up within `maxWaitMs`, and says how long to wait for it;
   * otherwise takes nothing and says when a token would be free.
   */
  reserve(maxWaitMs: number): Reservation {
    const now = this.now();
    const at = Math.max(now, this.freeAt[0]!);
    const waitMs = at - now;
    if (waitMs > maxWaitMs) return { granted: false, retryAfterMs: waitMs };
    this.freeAt.shift();
    this.freeAt.push(at + this.limit.windowMs + this.marginMs);
    return { granted: true, waitMs };
  }

  /**
   * Resolves when this call may go out, with a `done` to call when its answer arrived; rejects at once with the wait
   * it would have had when over `maxWaitMs`.
   */
  async acquire(maxWaitMs: number): Promise<() => void> {
    const reservation = this.reserve(maxWaitMs);
    if (!reservation.granted) throw new RateLimitExceeded(reservation.retryAfterMs);
    if (reservation.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, reservation.waitMs));
    const grantedFreeAt = this.now() + this.limit.windowMs + this.marginMs;
    return () => this.settle(grantedFreeAt);
  }

  /**
   * A call finished: its token comes back one window after the answer, not after the grant. The vendor counts the
   * call when it arrives, somewhere between the two; a slow vendor or a queue on our side must not let the next
   * window's calls overlap this one's.
   */
  private settle(grantedFreeAt: number): void {
    const index = this.freeAt.findIndex((at) => at >= grantedFreeAt);
    if (index < 0) return;
    this.freeAt[index] = Math.max(this.freeAt[index]!, this.now() + this.limit.windowMs + this.marginMs);
    this.freeAt.sort((a, b) => a - b);
  }

  /**
   * The vendor said 429 anyway (another client of the same token, or its own accounting): treat it as back-pressure
   * and spend nothing for one whole window. Answers how long that is.
   */
  backOff(): number {
    const until = this.now() + this.limit.windowMs + this.marginMs;
    this.freeAt = this.freeAt.map((at) => Math.max(at, until));
    return until - this.now();
  }

  /** Tokens that could be spent right now. */
  available(): number {
    const now = this.now();
    return this.freeAt.filter((at) => at <= now).length;
  }
}

/** A call would have waited longer than its budget for a token; nothing was sent. */
export class RateLimitExceeded extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limit: the next call could go out in ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'RateLimitExceeded';
  }
}
