import type { CacheStore } from './store.ts';
import type { Metrics } from '../observability/metrics.ts';
import { ExpiringFetch } from './expiring-fetch.ts';
import type { VendorGate } from '../loaders/vendor-gate.ts';
import type { OperationStats } from '../loaders/operation-stats.ts';

/** A cached value stamped with its fetch time. */
export interface Fetched<T> {
  fetchedAt: number;
  value: T;
}

export interface KeyedFetchDeps {
  cache: CacheStore;
  /** The vendor's slots, shared with the batchers (FOCUS_MAX_CONCURRENCY, FOCUS_MAX_QUEUE). */
  gate: VendorGate;
  metrics: Metrics;
  now?: () => number;
}

/**
 * Process-wide cache-then-vendor for values fetched one key at a time (a page of proceedings, a PDF): a fresh cache
 * entry answers; otherwise one fetch per key runs at a time, and concurrent askers share it. ExpiringFetch with one
 * TTL for every value, and the fetch run in a slot of the Kontur.Focus gate (dropped unsent when nobody waits). The label names the vendor
 * method in metrics.
 */
export class KeyedFetch<T> {
  private readonly fetches: ExpiringFetch<T>;

  constructor(
    private readonly label: string,
    private readonly deps: KeyedFetchDeps,
  ) {
    this.fetches = new ExpiringFetch<T>(label, deps);
  }

  get(key: string, ttlMs: number, fetch: () => Promise<T>, stats?: OperationStats): Promise<Fetched<T>> {
    return this.fetches.get(
      key,
      { maxAgeMs: ttlMs, ttlOf: () => ttlMs },
      (abandoned) => {
        this.deps.gate.admit(1, this.label);
        return this.deps.gate.run(fetch, abandoned);
      },
      stats,
    );
  }
}
