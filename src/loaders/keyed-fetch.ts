import type { LimitFunction } from 'p-limit';
import type { CacheStore } from '../cache/store.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { OperationStats } from './operation-stats.ts';

/** A cached value stamped with its fetch time. */
export interface Fetched<T> {
  fetchedAt: number;
  value: T;
}

export interface KeyedFetchDeps {
  cache: CacheStore;
  /** The vendor-call concurrency limit shared with the batchers. */
  limit: LimitFunction;
  metrics: Metrics;
  now?: () => number;
}

/**
 * Process-wide cache-then-vendor for values fetched one key at a time (a page of proceedings, a PDF):
 * a fresh cache entry answers; otherwise one fetch per key runs at a time, and concurrent askers share it.
 * The label names the vendor method in metrics.
 */
export class KeyedFetch<T> {
  private readonly inFlight = new Map<string, Promise<Fetched<T>>>();
  private readonly now: () => number;

  constructor(
    private readonly label: string,
    private readonly deps: KeyedFetchDeps,
  ) {
    this.now = deps.now ?? Date.now;
  }

  async get(key: string, ttlMs: number, fetch: () => Promise<T>, stats?: OperationStats): Promise<Fetched<T>> {
    const [cached] = await this.deps.cache.getMany<Fetched<T>>([key]);
    if (isFetched(cached) && Math.max(0, this.now() - cached.fetchedAt) < ttlMs) {
      this.count('hit', stats);
      return cached as Fetched<T>;
    }
    this.count('miss', stats);
    const running = this.inFlight.get(key);
    if (running) {
      this.deps.metrics.coalesced.inc({ method: this.label });
      if (stats) stats.coalesced += 1;
      return running;
    }
    if (stats) stats.vendorCalls += 1;
    const fetching = this.deps
      .limit(fetch)
      .then((value) => {
        const entry = { fetchedAt: this.now(), value };
        void this.deps.cache.setMany([{ key, value: entry, ttlMs }]);
        return entry;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, fetching);
    return fetching;
  }

  private count(result: 'hit' | 'miss', stats: OperationStats | undefined): void {
    this.deps.metrics.cacheLookups.inc({ method: this.label, result });
    if (stats) {
      if (result === 'hit') stats.cacheHits += 1;
      else stats.cacheMisses += 1;
    }
  }
}

function isFetched(value: unknown): value is Fetched<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Fetched<unknown>).fetchedAt === 'number' && 'value' in value;
}
