import type { LimitFunction } from 'p-limit';
import type { CacheStore } from '../cache/store.ts';
import type { Metrics } from '../observability/metrics.ts';
import { ExpiringFetch } from './expiring-fetch.ts';
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
 * Process-wide cache-then-vendor for values fetched one key at a time (a page of proceedings, a PDF): a fresh cache
 * entry answers; otherwise one fetch per key runs at a time, and concurrent askers share it. ExpiringFetch with one
 * TTL for every value, and the fetch run under the shared Kontur.Focus concurrency limit. The label names the vendor
 * method in metrics.
 */
export class KeyedFetch<T> {
  private readonly fetches: ExpiringFetch<T>;

  constructor(
    label: string,
    private readonly deps: KeyedFetchDeps,
  ) {
    this.fetches = new ExpiringFetch<T>(label, deps);
  }

  get(key: string, ttlMs: number, fetch: () => Promise<T>, stats?: OperationStats): Promise<Fetched<T>> {
    return this.fetches.get(key, { maxAgeMs: ttlMs, ttlOf: () => ttlMs }, () => this.deps.limit(fetch), stats);
  }
}
