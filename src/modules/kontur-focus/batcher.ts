import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { FOCUS_MAX_IDS_PER_CALL, type FocusClient, type FocusIdParam } from './vendor/client.ts';
import type { FocusBatchMethod, FocusRecordOf } from './vendor/schemas.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { SlotClaim, VendorGate } from '../../loaders/vendor-gate.ts';

/** What the cache holds per method and identifier: every record the vendor returned for it, stamped with fetch time. */
export interface VendorEntry<R> {
  fetchedAt: number;
  /** Empty when the registry does not know the identifier. */
  records: R[];
  /** Set (never stored) when the vendor failed and this expired entry was served instead (stale-if-error). */
  stale?: true;
  /** With `stale`: the vendor's error that made it stale (never stored). */
  staleBecause?: Error;
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
  /** Shared by all methods, pages and documents: FOCUS_MAX_CONCURRENCY slots and the FOCUS_MAX_QUEUE bound. */
  gate: VendorGate;
  ttl: BatcherTtl;
  metrics: Metrics;
  now?: () => number;
}

/**
 * While a call of this method is in flight, a batch smaller than 100 waits up to this long for more identifiers
 * before it takes a free slot (Nagle's rule): under load, calls leave full; alone, a lookup waits at most this.
 */
export const PARTIAL_BATCH_MAX_WAIT_MS = 50;

/** One identifier waiting for (or in) a vendor call, and the operations that want its answer. */
interface Pending<R> {
  id: string;
  promise: Promise<VendorEntry<R>>;
  resolve: (entry: VendorEntry<R>) => void;
  reject: (error: unknown) => void;
  /** Operations waiting for it; `background` when something without a lifetime (a job) asked: never abandoned. */
  wanted: Set<OperationStats>;
  background: boolean;
  /** performance.now() when it was queued. */
  queuedAt: number;
  /** The operation whose miss put it in the queue: it pays for the call. */
  payer: OperationStats | undefined;
  sent: boolean;
}

function newPending<R>(id: string, queuedAt: number, payer: OperationStats | undefined): Pending<R> {
  let resolve!: Pending<R>['resolve'];
  let reject!: Pending<R>['reject'];
  const promise = new Promise<VendorEntry<R>>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Everyone may have left by the time it settles: an unobserved rejection is not an error here.
  promise.catch(() => undefined);
  return { id, promise, resolve, reject, wanted: new Set(), background: false, queuedAt, payer, sent: false };
}

/**
 * Process-wide batching for one Kontur.Focus method, shared by every request:
 * 1. identifiers with a fresh cache entry are answered from the cache;
 * 2. identifiers already queued or being fetched (by any operation) join that call;
 * 3. the rest are queued; when the vendor gate hands this method a slot, everything queued for it at that moment
 *    goes out, 100 per call, so a backlog drains in full calls (a partial batch waits up to 50 ms while another
 *    call of the method is in flight);
 * 4. an identifier whose every waiting operation has ended (deadline, client gone) is dropped before it is sent,
 *    and operations stop waiting at their deadline with VENDOR_TIMEOUT.
 * Each call's answer is written to the cache per identifier (found or not found) before it is handed out, also when
 * nobody waits any more.
 */
export class FocusMethodBatcher<M extends FocusBatchMethod> implements SlotClaim {
  private readonly pending = new Map<string, Pending<FocusRecordOf<M>>>();
  /** Queued, not yet sent, in arrival order. */
  private readonly queue = new Map<string, Pending<FocusRecordOf<M>>>();
  private callsInFlight = 0;
  private claimScheduled = false;
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
   * maxAgeMs = 0 forces a fetch (joining one already queued or in flight, which is as fresh as it gets).
   */
  async load(ids: readonly string[], maxAgeMs: number, stats?: OperationStats): Promise<(VendorEntry<FocusRecordOf<M>> | Error)[]> {
    const cached = maxAgeMs > 0 ? await this.deps.cache.getMany<VendorEntry<FocusRecordOf<M>>>(ids.map((id) => this.cacheKey(id))) : [];
    const now = this.now();
    const misses: string[] = [];
    const answers: (VendorEntry<FocusRecordOf<M>> | undefined)[] = ids.map((id, index) => {
      const entry = cached[index];
      if (isVendorEntry(entry) && this.isFresh(entry, now, maxAgeMs)) return entry;
      misses.push(id);
      return undefined;
    });
    this.countLookups(ids.length - misses.length, misses.length, stats);
    let fetched: Map<string, Promise<VendorEntry<FocusRecordOf<M>>>>;
    try {
      fetched = this.fetch(misses, stats);
    } catch (error) {
      // Shed (queue full): every miss answers the same error, nothing was queued.
      return answers.map((answer) => answer ?? toError(error));
    }
    return Promise.all(
      ids.map((id, index) => answers[index] ?? fetched.get(id)!.catch((error: unknown) => toError(error))),
    );
  }

  /** How many identifiers are queued or being fetched right now; for tests and metrics. */
  get inFlightCount(): number {
    return this.pending.size;
  }

  // ─── SlotClaim: the gate asks when this method would use a slot, and for the work when it gets one ───────────

  readyInMs(): number {
    if (this.queue.size === 0 || this.queue.size >= FOCUS_MAX_IDS_PER_CALL || this.callsInFlight === 0) return 0;
    const oldest = this.queue.values().next().value!;
    return Math.max(0, oldest.queuedAt + PARTIAL_BATCH_MAX_WAIT_MS - performance.now());
  }

  take(): (() => Promise<void>) | undefined {
    const chunk: Pending<FocusRecordOf<M>>[] = [];
    for (const item of this.queue.values()) {
      if (chunk.length === FOCUS_MAX_IDS_PER_CALL) break;
      chunk.push(item);
    }
    for (const item of chunk) {
      this.queue.delete(item.id);
      item.sent = true;
    }
    this.deps.gate.adjustQueued(-chunk.length);
    if (this.queue.size > 0) this.deps.gate.claim(this);
    if (chunk.length === 0) return undefined;
    this.deps.metrics.vendorQueueWait.observe({ vendor: 'kontur-focus', method: this.method }, (performance.now() - chunk[0]!.queuedAt) / 1000);
    this.callsInFlight += 1;
    return () => this.fetchChunk(chunk).finally(() => (this.callsInFlight -= 1));
  }

  // ─── Queueing ──────────────────────────────────────────────────────────────────────────────────────────────

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

  /** Joins or queues each identifier for this operation; throws (nothing queued) when the gate sheds the new ones. */
  private fetch(ids: readonly string[], stats: OperationStats | undefined): Map<string, Promise<VendorEntry<FocusRecordOf<M>>>> {
    const fresh = [...new Set(ids)].filter((id) => !this.pending.has(id));
    if (fresh.length > 0) this.deps.gate.admit(fresh.length, this.method);
    // Queue times are real time, whatever clock the cache ages use (tests drive that one by hand).
    const now = performance.now();
    for (const id of fresh) {
      const item = newPending<FocusRecordOf<M>>(id, now, stats);
      this.pending.set(id, item);
      this.queue.set(id, item);
    }
    this.deps.gate.adjustQueued(fresh.length);
    if (fresh.length > 0) this.scheduleClaim();
    const joined = ids.length - fresh.length;
    if (joined > 0) {
      this.deps.metrics.coalesced.inc({ method: this.method }, joined);
      if (stats) stats.coalesced += joined;
    }
    return new Map(ids.map((id) => [id, this.want(this.pending.get(id)!, stats)] as const));
  }

  /** The entry's answer for this operation: until the operation ends, when it stops wanting it. */
  private want(item: Pending<FocusRecordOf<M>>, stats: OperationStats | undefined): Promise<VendorEntry<FocusRecordOf<M>>> {
    const lifetime = stats?.lifetime;
    if (!lifetime) {
      item.background = true;
      return item.promise;
    }
    item.wanted.add(stats);
    return lifetime.race(item.promise, `Kontur.Focus ${this.method}`, () => this.unwant(item, stats));
  }

  /** An operation ended: if nobody else waits for a queued identifier, it is dropped before it costs a call. */
  private unwant(item: Pending<FocusRecordOf<M>>, stats: OperationStats): void {
    item.wanted.delete(stats);
    if (item.sent || item.background || item.wanted.size > 0 || !this.queue.has(item.id)) return;
    this.queue.delete(item.id);
    this.pending.delete(item.id);
    this.deps.gate.adjustQueued(-1);
    this.deps.metrics.vendorQueueAbandoned.inc({ vendor: 'kontur-focus', method: this.method });
    item.reject(new Error('abandoned: every operation waiting for it ended'));
  }

  /** Misses of one tick (all operations, all DataLoader batches) are queued before the gate is asked for a slot. */
  private scheduleClaim(): void {
    if (this.claimScheduled) return;
    this.claimScheduled = true;
    setImmediate(() => {
      this.claimScheduled = false;
      if (this.queue.size > 0) this.deps.gate.claim(this);
    });
  }

  // ─── One vendor call ───────────────────────────────────────────────────────────────────────────────────────

  private async fetchChunk(chunk: Pending<FocusRecordOf<M>>[]): Promise<void> {
    const ids = chunk.map((item) => item.id);
    const payers = new Set(chunk.map((item) => item.payer).filter((stats): stats is OperationStats => stats !== undefined));
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
      for (const { id, entry } of entries) this.settle(id, (item) => item.resolve(entry));
    } catch (error) {
      await this.answerStaleOrFail(chunk, error);
    }
  }

  /** Stale-if-error: an expired entry younger than CACHE_STALE_IF_ERROR answers, marked stale; the rest get the error. */
  private async answerStaleOrFail(chunk: Pending<FocusRecordOf<M>>[], error: unknown): Promise<void> {
    const ids = chunk.map((item) => item.id);
    const cached = this.deps.ttl.staleIfErrorMs > 0 ? await this.deps.cache.getMany<VendorEntry<FocusRecordOf<M>>>(ids.map((id) => this.cacheKey(id))) : [];
    const now = this.now();
    chunk.forEach((item, index) => {
      const entry = cached[index];
      if (isVendorEntry(entry) && now - entry.fetchedAt < this.ttlOf(entry) + this.deps.ttl.staleIfErrorMs) {
        this.deps.metrics.cacheLookups.inc({ method: this.method, result: 'stale_served' });
        if (item.payer) item.payer.staleServed += 1;
        this.settle(item.id, (pending) => pending.resolve({ ...entry, stale: true, staleBecause: toError(error) }));
      } else {
        this.settle(item.id, (pending) => pending.reject(error));
      }
    });
  }

  private settle(id: string, action: (item: Pending<FocusRecordOf<M>>) => void): void {
    const item = this.pending.get(id);
    if (!item) return;
    this.pending.delete(id);
    action(item);
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
export function isVendorEntry(value: unknown): value is VendorEntry<never> {
  const entry = value as VendorEntry<unknown> | undefined;
  return typeof entry === 'object' && entry !== null && typeof entry.fetchedAt === 'number' && Array.isArray(entry.records);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
