import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitExceeded, type CallLimiter, type RateLimit, type RateLimiter } from '../vendors/rate-limiter.ts';

/** After a slot frees, a waiter retries after a little random extra, so that replicas woken together do not collide. */
const RETRY_JITTER_MS = 25;

/**
 * One vendor rate limit shared by every replica through Redis, with rate-limiter-flexible.
 *
 * rate-limiter-flexible counts fixed windows, which let up to twice the limit through across a window boundary. So
 * the budget is `calls` slots, each a rate-limiter-flexible key of ONE point per window: a call takes a free slot, and
 * the slot stays taken for one window (plus a margin) after the call's answer. A slot serves at most one call in any
 * window of that length, so the replicas together never make more than `calls` calls in any window — the same
 * guarantee the in-process RateLimiter gives, whichever way the vendor counts.
 *
 * A call learns how long it would wait (the earliest slot to free) and fails at once when that exceeds its budget;
 * otherwise it sleeps and tries again (another replica may take that slot first: then the call fails once its
 * budget is spent). Unlike the in-process limiter, order among waiters of different replicas is not first-come.
 * When Redis fails, this process falls back to its own in-process limiter (logged): calls go on, the budget then
 * being per replica until Redis answers again.
 */
export class SharedRateLimiter implements CallLimiter {
  private readonly slots: RateLimiterRedis;
  private readonly slotSeconds: number;

  constructor(
    // The node-redis client the cache store already holds; rate-limiter-flexible drives it with `useRedisPackage`.
    client: object,
    keyPrefix: string,
    readonly limit: RateLimit,
    private readonly fallback: RateLimiter,
    private readonly onError: (error: unknown) => void,
  ) {
    // Whole seconds: rate-limiter-flexible sets expiries in seconds. Rounded up, a slot is never free early.
    this.slotSeconds = Math.ceil((limit.windowMs + fallback.marginMs) / 1000);
    this.slots = new RateLimiterRedis({ storeClient: client, useRedisPackage: true, keyPrefix, points: 1, duration: this.slotSeconds });
  }

  async acquire(maxWaitMs: number): Promise<() => void> {
    const giveUpAt = performance.now() + maxWaitMs;
    for (;;) {
      let taken: Awaited<ReturnType<SharedRateLimiter['takeSlot']>>;
      try {
        taken = await this.takeSlot();
      } catch (error) {
        this.onError(error);
        return this.fallback.acquire(Math.max(0, giveUpAt - performance.now()));
      }
      if (taken.slot !== undefined) return this.doneWith(taken.slot);
      const remainingMs = giveUpAt - performance.now();
      if (taken.waitMs > remainingMs) throw new RateLimitExceeded(taken.waitMs);
      await sleep(taken.waitMs + Math.random() * RETRY_JITTER_MS);
    }
  }

  backOff(): number {
    void Promise.all(Array.from({ length: this.limit.calls }, (_, slot) => this.slots.block(String(slot), this.slotSeconds))).catch(
      (error: unknown) => this.onError(error),
    );
    return this.fallback.backOff();
  }

  /** A free slot (taken now), or how long until the first one frees. Slots are tried from a random one on. */
  private async takeSlot(): Promise<{ slot: number; waitMs?: never } | { slot?: never; waitMs: number }> {
    const first = Math.floor(Math.random() * this.limit.calls);
    let waitMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.limit.calls; i++) {
      const slot = (first + i) % this.limit.calls;
      try {
        await this.slots.consume(String(slot));
        return { slot };
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        waitMs = Math.min(waitMs, rejection.msBeforeNext);
      }
    }
    return { waitMs };
  }

  /** The slot stays taken for a window after the answer (not the grant): the vendor counts the call in between. */
  private doneWith(slot: number): () => void {
    return () => void this.slots.block(String(slot), this.slotSeconds).catch((error: unknown) => this.onError(error));
  }
}
