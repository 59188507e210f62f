import type { LimitFunction } from 'p-limit';
import { CACHE_KEY_VERSION, type CacheStore } from '../cache/store.ts';
import type { Metrics } from '../observability/metrics.ts';
import { FOCUS_MAX_IDS_PER_CALL, type FocusClient, type FocusIdParam } from '../vendors/kontur-focus/client.ts';
import type { FocusBatchMethod, FocusRecordOf } from '../vendors/kontur-focus/schemas.ts';
import type { OperationStats } from './operation-stats.ts';

/** What the cache holds per method and identifier: every record the vendor returned for it, stamped with fetch time. */
export interface VendorEntry<R> {
  fetchedAt: number;
  /** Empty when the registry does not know the identifier. */
  records: R[];
  /** Set (never stored) when the vendor failed and this expired entry was served instead (stale-if-error). */
  stale?: true;
}

export interface BatcherTtl {
  /** How long a found entry is kept in the store. */
  foundMs: number;
  /** How long "the registry does not know this identifier" is believed. */
  notFoundMs: number;
  /** How long past its TTL an entry is kept to answer with when the vendor fails (CACHE_STALE_IF_ERROR). */
  staleIfErrorMs: number;
}

export interface FocusBatcherDeps {
  client: FocusClient;
  cache: CacheStore;
  /** Shared by all methods: bounds concurrent vendor calls (FOCUS_MAX_CONCURRENCY). */
  limit: LimitFunction;
  ttl: BatcherTtl;
  metrics: Metrics;
  now?: () => number;
}

interface Waiter<R> {
  promise: Promise<VendorEntry<R>>;
  resolve: (entry: VendorEntry<R>) => void;
  reject: (error: unknown) => void;
}

function createWaiter<R>(): Waiter<R> {
  let resolve!: Waiter<R>['resolve'];
  let reject!: Waiter<R>['reject'];
  const promise = new Promise<VendorEntry<R>>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Process-wide batching for one Kontur.Focus method, shared by every request:
 * 1. identifiers with a fresh cache entry are answered from the cache;
 * 2. identifiers already being fetched (by any operation) join that call;
 * 3. the rest wait for the next tick, so misses from all operations and DataLoader batches of that tick
 *    are coalesced into calls of at most 100 identifiers, run under the shared concurrency limit.
 * Each call's answer is written to the cache per identifier (found or not found) before it is handed out.
 */
export class FocusMethodBatcher<M extends FocusBatchMethod> {
  private readonly inFlight = new Map<string, Waiter<FocusRecordOf<M>>>();
  /** The operations whose misses put each queued identifier in a call: they are the ones that pay for it. */
  private readonly payers = new Map<string, OperationStats>();
  private queued: string[] = [];
  private flushScheduled = false;
  private readonly now: () => number;

  constructor(
    readonly method: M,
    readonly idParam: FocusIdParam,
    private readonly deps: FocusBatcherDeps,
  ) {
    this.now = deps.now ?? Date.now;
  }

  cacheKey(id: string): string {
    return `${CACHE_KEY_VERSION}:focus:${this.method}:${this.idParam}:${id}`;
  }

  /**
   * For each identifier, its entry no older than maxAgeMs, or the error of the vendor call that should have answered it.
   * maxAgeMs = 0 forces a fetch (joining one already in flight, which is as fresh as it gets).
   */
  async load(ids: readonly string[], maxAgeMs: number, stats?: OperationStats): Promise<(VendorEntry<FocusRecordOf<M>> | Error)[]> {
    const cached = maxAgeMs > 0 ? await this.deps.cache.getMany<VendorEntry<FocusRecordOf<M>>>(ids.map((id) => this.cacheKey(id))) : [];
    const now = this.now();
    let hits = 0;
    const answers = ids.map((id, index) => {
      const entry = cached[index];
      if (isVendorEntry(entry) && this.isFresh(entry, now, maxAgeMs)) {
        hits += 1;
        return Promise.resolve(entry);
      }
      return this.fetch(id, stats);
    });
    this.countLookups(hits, ids.length - hits, stats);
    return Promise.all(answers.map((answer) => answer.catch((error: unknown) => toError(error))));
  }

  /** How many identifiers are being fetched right now; for tests and metrics. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  private ttlOf(entry: VendorEntry<unknown>): number {
    return entry.records.length > 0 ? this.deps.ttl.foundMs : this.deps.ttl.notFoundMs;
  }

  private isFresh(entry: VendorEntry<unknown>, now: number, maxAgeMs: number): boolean {
    // A replica whose clock runs a little behind sees a negative age: that entry is as fresh as it gets.
    const age = Math.max(0, now - entry.fetchedAt);
    const limit = entry.records.length === 0 ? Math.min(maxAgeMs, this.deps.ttl.notFoundMs) : maxAgeMs;
    return age < limit;
  }

  private countLookups(hits: number, misses: number, stats: OperationStats | undefined): void {
    if (hits > 0) this.deps.metrics.cacheLookups.inc({ method: this.method, result: 'hit' }, hits);
    if (misses > 0) this.deps.metrics.cacheLookups.inc({ method: this.method, result: 'miss' }, misses);
    if (stats) {
      stats.cacheHits += hits;
      stats.cacheMisses += misses;
    }
  }

  private fetch(id: string, stats: OperationStats | undefined): Promise<VendorEntry<FocusRecordOf<M>>> {
    const existing = this.inFlight.get(id);
    if (existing) {
      this.deps.metrics.coalesced.inc({ method: this.method });
      if (stats) stats.coalesced += 1;
      return existing.promise;
    }
    const waiter = createWaiter<FocusRecordOf<M>>();
    this.inFlight.set(id, waiter);
    if (stats) this.payers.set(id, stats);
    this.queued.push(id);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return waiter.promise;
  }

  private flush(): void {
    this.flushScheduled = false;
    const ids = this.queued;
    this.queued = [];
    for (let start = 0; start < ids.length; start += FOCUS_MAX_IDS_PER_CALL) {
      const chunk = ids.slice(start, start + FOCUS_MAX_IDS_PER_CALL);
      void this.deps.limit(() => this.fetchChunk(chunk));
    }
  }

  private async fetchChunk(ids: string[]): Promise<void> {
    const payerOf = new Map(ids.map((id) => [id, this.payers.get(id)] as const));
    for (const id of ids) this.payers.delete(id);
    const payers = new Set([...payerOf.values()].filter((stats): stats is OperationStats => stats !== undefined));
    for (const stats of payers) stats.vendorCalls += 1;
    try {
      const records = await this.deps.client.getBatch(this.method, this.idParam, ids);
      const fetchedAt = this.now();
      const byId = groupBy(records, (record) => record[this.idParam]);
      const entries = ids.map((id) => ({ id, entry: { fetchedAt, records: byId.get(id) ?? [] } }));
      // The write is sent before anyone is answered (so another replica asking right after finds it),
      // but not awaited: a slow cache store must not delay the answer.
      void this.deps.cache.setMany(
        entries.map(({ id, entry }) => ({
          key: this.cacheKey(id),
          value: entry,
          // Kept past the TTL so that it can still answer, marked stale, while the vendor fails.
          ttlMs: this.ttlOf(entry) + this.deps.ttl.staleIfErrorMs,
        })),
      );
      for (const { id, entry } of entries) this.settle(id, (waiter) => waiter.resolve(entry));
    } catch (error) {
      await this.answerStaleOrFail(ids, error, payerOf);
    }
  }

  /** Stale-if-error: an expired entry younger than CACHE_STALE_IF_ERROR answers, marked stale; the rest get the error. */
  private async answerStaleOrFail(ids: string[], error: unknown, payerOf: Map<string, OperationStats | undefined>): Promise<void> {
    const cached = this.deps.ttl.staleIfErrorMs > 0 ? await this.deps.cache.getMany<VendorEntry<FocusRecordOf<M>>>(ids.map((id) => this.cacheKey(id))) : [];
    const now = this.now();
    ids.forEach((id, index) => {
      const entry = cached[index];
      if (isVendorEntry(entry) && now - entry.fetchedAt < this.ttlOf(entry) + this.deps.ttl.staleIfErrorMs) {
        this.deps.metrics.cacheLookups.inc({ method: this.method, result: 'stale_served' });
        const stats = payerOf.get(id);
        if (stats) stats.staleServed += 1;
        this.settle(id, (waiter) => waiter.resolve({ ...entry, stale: true }));
      } else {
        this.settle(id, (waiter) => waiter.reject(error));
      }
    });
  }

  private settle(id: string, action: (waiter: Waiter<FocusRecordOf<M>>) => void): void {
    const waiter = this.inFlight.get(id);
    if (!waiter) return;
    this.inFlight.delete(id);
    action(waiter);
  }
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** A cached value is trusted only if it has the shape this version writes; anything else is a miss. */
function isVendorEntry(value: unknown): value is VendorEntry<never> {
  const entry = value as VendorEntry<unknown> | undefined;
  return typeof entry === 'object' && entry !== null && typeof entry.fetchedAt === 'number' && Array.isArray(entry.records);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
