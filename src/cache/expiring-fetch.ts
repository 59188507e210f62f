import type { CacheStore } from './store.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Fetched } from './keyed-fetch.ts';
import type { OperationStats } from '../loaders/operation-stats.ts';

export interface ExpiringFetchDeps {
  cache: CacheStore;
  metrics: Metrics;
  now?: () => number;
}

export interface ExpiringLookup<T> {
  /** Oldest entry this lookup accepts (e.g. CACHE_TTL_STATUS for status fields); older ones are refetched. */
  maxAgeMs: number;
  /** How long a value is kept, by value: found data and "the vendor has nothing" live for different times. */
  ttlOf: (value: T) => number;
}

/**
 * Process-wide cache-then-vendor for values fetched one key at a time, like KeyedFetch, for a vendor without batch
 * calls (T-Bank): a fresh cache entry answers; otherwise one fetch per key runs at a time, and concurrent askers share
 * it. Unlike KeyedFetch, the TTL is chosen by the value (CACHE_TTL_NOT_FOUND for a null), each lookup may ask for a
 * younger entry than the TTL, and no concurrency limit is applied here: the T-Bank client's rate limiter is the gate.
 */
export class ExpiringFetch<T> {
  private readonly inFlight = new Map<string, InFlight<T>>();
  private readonly now: () => number;

  constructor(
    private readonly label: string,
    private readonly deps: ExpiringFetchDeps,
    private readonly vendor: 'kontur-focus' | 'tbank' | 'jump-finance' = label.startsWith('tbank:') ? 'tbank' : 'kontur-focus',
  ) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * The entry for `key`: fresh from the cache, or joined to the fetch in flight, or fetched. `fetch` is told how to
   * ask whether anyone still wants the answer (every waiting operation ended), so queued work can be dropped unsent.
   * Each operation stops waiting when it ends (VENDOR_TIMEOUT at its deadline).
   */
  async get(key: string, lookup: ExpiringLookup<T>, fetch: (abandoned: () => boolean) => Promise<T>, stats?: OperationStats): Promise<Fetched<T>> {
    const [cached] = await this.deps.cache.getMany<Fetched<T>>([key]);
    if (isFetched<T>(cached)) {
      // A replica whose clock runs a little behind sees a negative age: that entry is as fresh as it gets.
      const age = Math.max(0, this.now() - cached.fetchedAt);
      if (age < Math.min(lookup.maxAgeMs, lookup.ttlOf(cached.value))) {
        this.count('hit', stats);
        return cached;
      }
    }
    this.count('miss', stats);
    let running = this.inFlight.get(key);
    if (running) {
      this.deps.metrics.coalesced.inc({ method: this.label });
      if (stats) stats.coalesced += 1;
    } else {
      if (stats) stats.vendorCalls += 1;
      running = this.start(key, lookup, fetch);
    }
    return this.want(running, stats);
  }

  private start(key: string, lookup: ExpiringLookup<T>, fetch: (abandoned: () => boolean) => Promise<T>): InFlight<T> {
    const running: InFlight<T> = { wanted: new Set(), background: false, promise: undefined! };
    const abandoned = () => !running.background && running.wanted.size === 0;
    // Started a microtask later, so a fetch that refuses synchronously (shed) rejects like any other failure.
    running.promise = Promise.resolve()
      .then(() => fetch(abandoned))
      .then((value) => {
        const entry: Fetched<T> = { fetchedAt: this.now(), value };
        // Sent before anyone is answered, not awaited: a slow cache store must not delay the answer.
        void this.deps.cache.setMany([{ key, value: entry, ttlMs: lookup.ttlOf(value) }]);
        return entry;
      })
      .finally(() => this.inFlight.delete(key));
    running.promise.catch(() => undefined);
    this.inFlight.set(key, running);
    return running;
  }

  private want(running: InFlight<T>, stats: OperationStats | undefined): Promise<Fetched<T>> {
    const lifetime = stats?.lifetime;
    if (!lifetime) {
      running.background = true;
      return running.promise;
    }
    running.wanted.add(stats);
    return lifetime.race(running.promise, this.label, () => running.wanted.delete(stats), this.vendor);
  }

  private count(result: 'hit' | 'miss', stats: OperationStats | undefined): void {
    this.deps.metrics.cacheLookups.inc({ method: this.label, result });
    if (stats) {
      if (result === 'hit') stats.cacheHits += 1;
      else stats.cacheMisses += 1;
    }
  }
}

interface InFlight<T> {
  promise: Promise<Fetched<T>>;
  /** Operations waiting for it; `background` once something without a lifetime asked (never abandoned then). */
  wanted: Set<OperationStats>;
  background: boolean;
}

/** A cached value is trusted only if it has the shape this version writes; anything else is a miss. */
function isFetched<T>(value: unknown): value is Fetched<T> {
  return typeof value === 'object' && value !== null && typeof (value as Fetched<T>).fetchedAt === 'number' && 'value' in value;
}
