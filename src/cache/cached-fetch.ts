import { VendorError, type VendorName } from '../errors.ts';
import type { OperationStats } from '../loaders/operation-stats.ts';
import type { SlotClaim, VendorGate } from '../loaders/vendor-gate.ts';
import type { Metrics } from '../observability/metrics.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Span } from '@opentelemetry/api';
import { traceLeaseWait } from '../observability/tracing.ts';
import type { Claims } from './claims.ts';
import type { CacheStore } from './store.ts';

/** A cached value stamped with its fetch time. */
export interface Fetched<T> {
  fetchedAt: number;
  value: T;
  /** Set (never stored) when the vendor failed and this expired entry answered instead (stale-if-error). */
  stale?: true;
  /** With `stale`: the vendor's error that made it stale (never stored). */
  staleBecause?: Error;
}

/** A slot source: the vendor's gate, or none (the call goes out at once; the vendor client paces itself). */
type Slots = Pick<VendorGate, 'admit' | 'adjustQueued' | 'claim'>;

export interface CachedFetchOptions<V> {
  /** The vendor method, as metrics name it. */
  label: string;
  vendor: VendorName;
  cache: CacheStore;
  metrics: Metrics;
  now?: () => number;
  /** The cache key of an identifier. */
  key(id: string): string;
  /** One vendor call for up to `maxBatch` identifiers: a value for every one of them. `abandoned` says nobody waits. */
  fetch(ids: string[], abandoned: () => boolean): Promise<Map<string, V>>;
  /** Identifiers per call (100 for Kontur.Focus batch methods); default 1. */
  maxBatch?: number;
  /** The vendor's slots (concurrency, queue bound, shedding); absent: sent at once. */
  gate?: VendorGate;
  /** How long a value is kept, by value ("found" and "the vendor has nothing" differ); 0: not stored. */
  ttlOf(value: V): number;
  /** When the vendor fails, an expired entry up to this much past its TTL answers instead, marked stale. */
  staleIfErrorMs?: number;
  /** Whether an entry may answer a lookup that accepts up to maxAgeMs; default: younger than that and its TTL. */
  isFresh?(entry: Fetched<V>, maxAgeMs: number, now: number): boolean;
  /** A stored value is trusted only when it has the shape this version writes; anything else is a miss. */
  isValue?(value: unknown): value is V;
  /** Called when a stale entry answered (e.g. to remember the failed attempt). */
  onStale?(id: string, entry: Fetched<V>): void;
}

export interface Lookup {
  /** Oldest entry this lookup accepts; 0 forces a fetch (joining one already queued or in flight). */
  maxAgeMs: number;
  stats?: OperationStats | undefined;
}

/**
 * While a call is in flight, a batch smaller than its maximum waits up to this long for more identifiers before it
 * takes a free slot (Nagle's rule): under load, calls leave full; alone, a lookup waits at most this.
 */
export const PARTIAL_BATCH_MAX_WAIT_MS = 50;

/** One identifier waiting for (or in) a vendor call, and the operations that want its answer. */
interface Pending<V> {
  id: string;
  promise: Promise<Fetched<V>>;
  resolve: (entry: Fetched<V>) => void;
  reject: (error: unknown) => void;
  /** Operations waiting for it; `background` when something without a lifetime (a job) asked: never abandoned. */
  wanted: Set<OperationStats>;
  background: boolean;
  /** performance.now() when it was queued. */
  queuedAt: number;
  /** Date.now() when it was first queued: an answer another replica stored after that is the one it waited for. */
  missedAt: number;
  /** The operation whose miss put it in the queue: it pays for the call. */
  payer: OperationStats | undefined;
  sent: boolean;
}

function newPending<V>(id: string, payer: OperationStats | undefined): Pending<V> {
  let resolve!: Pending<V>['resolve'];
  let reject!: Pending<V>['reject'];
  const promise = new Promise<Fetched<V>>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Everyone may have left by the time it settles: an unobserved rejection is not an error here.
  promise.catch(() => undefined);
  return {
    id,
    promise,
    resolve,
    reject,
    wanted: new Set(),
    background: false,
    queuedAt: performance.now(),
    missedAt: Date.now(),
    payer,
    sent: false,
  };
}

/** How a wait for another replica's call ended, per identifier (cache_claim_waits_total, the lease-wait span). */
type ClaimWaitOutcome = 'answered' | 'took_over' | 'abandoned';

/** Polling the store for another replica's answer: first after this, then twice as long each time, up to the cap. */
const CLAIM_POLL_FIRST_MS = 20;
const CLAIM_POLL_MAX_MS = 200;
/** Clocks of replicas differ a little: an answer stamped up to this long before our miss still counts as after it. */
const CLOCK_SKEW_MS = 1_000;

/**
 * THE cached fetch, process-wide, for every vendor value the graph reads: cache → join what is queued or in flight →
 * fetch → write back, with stale-if-error and metrics.
 * 1. identifiers with a fresh cache entry are answered from the cache;
 * 2. identifiers already queued or being fetched (by any operation) join that call;
 * 3. the rest are queued; when the vendor gate hands a slot, everything queued at that moment goes out, `maxBatch` per
 *    call — so a backlog drains in full calls (a partial batch waits up to 50 ms while another call is in flight);
 * 4. an identifier whose every waiting operation has ended (deadline, client gone) is dropped before it is sent, and
 *    operations stop waiting at their deadline with VENDOR_TIMEOUT;
 * 5. each answer is written to the cache before it is handed out, also when nobody waits any more;
 * 6. with a shared store (Redis), a chunk's identifiers are claimed before the call (claims.ts): those another replica
 *    is fetching are not sent but awaited in the store, until its answer lands there or its claim lapses (then this
 *    replica claims and fetches them). A failing claim machinery means "fetch", never an error.
 */
export class CachedFetch<V> implements SlotClaim {
  private readonly pending = new Map<string, Pending<V>>();
  /** Queued, not yet sent, in arrival order. */
  private readonly queue = new Map<string, Pending<V>>();
  private callsInFlight = 0;
  private claimScheduled = false;
  private readonly now: () => number;
  private readonly maxBatch: number;
  private readonly slots: Slots;
  /** Shared claims when the store is Redis; none in memory (this process's in-flight table is all there is). */
  private readonly claims: Claims | undefined;

  constructor(private readonly options: CachedFetchOptions<V>) {
    this.now = options.now ?? Date.now;
    this.maxBatch = options.maxBatch ?? 1;
    this.slots = options.gate ?? immediate;
    this.claims = options.cache.claims();
  }

  key(id: string): string {
    return this.options.key(id);
  }

  async get(id: string, lookup: Lookup): Promise<Fetched<V>> {
    const [answer] = await this.getMany([id], lookup);
    if (answer instanceof Error) throw answer;
    return answer!;
  }

  /** For each identifier, its entry, or the error of the vendor call that should have answered it. */
  async getMany(ids: readonly string[], { maxAgeMs, stats }: Lookup): Promise<(Fetched<V> | Error)[]> {
    const cached = maxAgeMs > 0 || stats?.cacheOnly ? await this.stored(ids) : [];
    const now = this.now();
    const misses: string[] = [];
    const answers = ids.map((id, index) => {
      const entry = cached[index];
      if (entry && this.isFresh(entry, maxAgeMs, now)) return entry;
      misses.push(id);
      return undefined;
    });
    this.countLookups(ids.length - misses.length, misses.length, stats);
    // All answered from the cache (the warm path): no vendor queue, no promise per identifier.
    if (misses.length === 0) return answers as Fetched<V>[];
    if (stats?.cacheOnly) return answers.map((answer, index) => answer ?? this.staleOrRefused(cached[index], now, stats));
    let fetched: Map<string, Promise<Fetched<V>>>;
    try {
      fetched = this.fetch(misses, stats);
    } catch (error) {
      // Shed (queue full): every miss answers the same error, nothing was queued.
      return answers.map((answer) => answer ?? toError(error));
    }
    return Promise.all(
      ids.map((id, index) => Promise.resolve(answers[index] ?? fetched.get(id)!.catch((error: unknown) => toError(error)))),
    );
  }

  /** What the store holds for these identifiers (entries of an unexpected shape are misses). */
  async stored(ids: readonly string[]): Promise<(Fetched<V> | undefined)[]> {
    const values = await this.options.cache.getMany<Fetched<V>>(ids.map((id) => this.options.key(id)));
    return values.map((value) => (this.isEntry(value) ? value : undefined));
  }

  /** Stores a value read by another call (a list, a create), stamped now; answers the entry. */
  async put(id: string, value: V, fetchedAt = this.now()): Promise<Fetched<V>> {
    const [entry] = await this.putMany([[id, value]], fetchedAt);
    return entry!;
  }

  /** Stores values read by another call (a page of a list) in one write, stamped alike. */
  async putMany(values: ReadonlyArray<readonly [string, V]>, fetchedAt = this.now()): Promise<Fetched<V>[]> {
    const entries = values.map(([id, value]) => [id, { fetchedAt, value }] as const);
    await this.write(entries);
    return entries.map(([, entry]) => entry);
  }

  /** Drops identifiers from the store (their next lookup asks the vendor). */
  forget(ids: readonly string[]): Promise<boolean> {
    return this.options.cache.deleteMany(ids.map((id) => this.options.key(id)));
  }

  /** How many identifiers are queued or being fetched right now; for tests and metrics. */
  get inFlightCount(): number {
    return this.pending.size;
  }

  // ─── SlotClaim: the gate asks when this fetch would use a slot, and for the work when it gets one ──────────────

  readyInMs(): number {
    if (this.queue.size === 0 || this.queue.size >= this.maxBatch || this.callsInFlight === 0) return 0;
    const oldest = this.queue.values().next().value!;
    return Math.max(0, oldest.queuedAt + PARTIAL_BATCH_MAX_WAIT_MS - performance.now());
  }

  take(): (() => Promise<void>) | undefined {
    const chunk: Pending<V>[] = [];
    for (const item of this.queue.values()) {
      if (chunk.length === this.maxBatch) break;
      chunk.push(item);
    }
    for (const item of chunk) {
      this.queue.delete(item.id);
      item.sent = true;
    }
    this.slots.adjustQueued(-chunk.length);
    if (this.queue.size > 0) this.slots.claim(this);
    if (chunk.length === 0) return undefined;
    this.options.metrics.vendorQueueWait.observe(
      { vendor: this.options.vendor, method: this.options.label },
      (performance.now() - chunk[0]!.queuedAt) / 1000,
    );
    this.callsInFlight += 1;
    return () => this.fetchChunk(chunk).finally(() => (this.callsInFlight -= 1));
  }

  // ─── Queueing ──────────────────────────────────────────────────────────────────────────────────────────────

  private isEntry(value: unknown): value is Fetched<V> {
    const entry = value as Fetched<unknown> | undefined;
    if (typeof entry !== 'object' || entry === null || typeof entry.fetchedAt !== 'number' || !('value' in entry)) return false;
    return this.options.isValue ? this.options.isValue(entry.value) : true;
  }

  private isFresh(entry: Fetched<V>, maxAgeMs: number, now: number): boolean {
    if (this.options.isFresh) return this.options.isFresh(entry, maxAgeMs, now);
    // A replica whose clock runs a little behind sees a negative age: that entry is as fresh as it gets.
    return Math.max(0, now - entry.fetchedAt) < Math.min(maxAgeMs, this.options.ttlOf(entry.value));
  }

  private countLookups(hits: number, misses: number, stats: OperationStats | undefined): void {
    const { metrics, label } = this.options;
    if (hits > 0) metrics.cacheLookups.inc({ method: label, result: 'hit' }, hits);
    if (misses > 0) metrics.cacheLookups.inc({ method: label, result: 'miss' }, misses);
    if (stats) {
      stats.cacheHits += hits;
      stats.cacheMisses += misses;
    }
  }

  /** Joins or queues each identifier for this operation; throws (nothing queued) when the gate sheds the new ones. */
  private fetch(ids: readonly string[], stats: OperationStats | undefined): Map<string, Promise<Fetched<V>>> {
    const fresh = [...new Set(ids)].filter((id) => !this.pending.has(id));
    if (fresh.length > 0) this.slots.admit(fresh.length, this.options.label);
    const items = fresh.map((id) => newPending<V>(id, stats));
    for (const item of items) this.pending.set(item.id, item);
    this.enqueue(items);
    const joined = ids.length - fresh.length;
    if (joined > 0) {
      this.options.metrics.coalesced.inc({ method: this.options.label }, joined);
      if (stats) stats.coalesced += joined;
    }
    return new Map(ids.map((id) => [id, this.want(this.pending.get(id)!, stats)] as const));
  }

  /** The entry's answer for this operation: until the operation ends, when it stops wanting it. */
  private want(item: Pending<V>, stats: OperationStats | undefined): Promise<Fetched<V>> {
    const lifetime = stats?.lifetime;
    if (!lifetime) {
      item.background = true;
      return item.promise;
    }
    item.wanted.add(stats);
    return lifetime.race(item.promise, this.describe(), this.options.vendor, () => this.unwant(item, stats));
  }

  /** An operation ended: if nobody else waits for a queued identifier, it is dropped before it costs a call. */
  private unwant(item: Pending<V>, stats: OperationStats): void {
    item.wanted.delete(stats);
    // The payer left before the call went out: one who still waits pays instead (its stats count the call), so
    // leaving cannot make a call nobody is charged for (a budget counted from OperationStats.vendorCalls).
    if (item.payer === stats && !item.sent) item.payer = item.wanted.values().next().value;
    if (item.sent || item.background || item.wanted.size > 0 || !this.queue.has(item.id)) return;
    this.queue.delete(item.id);
    this.pending.delete(item.id);
    this.slots.adjustQueued(-1);
    this.options.metrics.vendorQueueAbandoned.inc({ vendor: this.options.vendor, method: this.options.label });
    // Taken over from another replica, it holds a claim: given back, so nobody waits for a call that will not come.
    if (this.claims) void this.releaseClaims([item.id]);
    item.reject(new Error('abandoned: every operation waiting for it ended'));
  }

  /** Puts items (new, or back from waiting on another replica) in the queue for a slot. */
  private enqueue(items: readonly Pending<V>[]): void {
    if (items.length === 0) return;
    for (const item of items) {
      item.sent = false;
      this.queue.set(item.id, item);
    }
    this.slots.adjustQueued(items.length);
    this.scheduleClaim();
  }

  /** Misses of one tick (all operations, all DataLoader batches) are queued before a slot is asked for. */
  private scheduleClaim(): void {
    if (this.claimScheduled) return;
    this.claimScheduled = true;
    setImmediate(() => {
      this.claimScheduled = false;
      if (this.queue.size > 0) this.slots.claim(this);
    });
  }

  private describe(): string {
    return `${this.options.vendor} ${this.options.label}`;
  }

  // ─── One vendor call ───────────────────────────────────────────────────────────────────────────────────────

  private async fetchChunk(claimed: Pending<V>[]): Promise<void> {
    const chunk = await this.claimOrAwait(claimed);
    if (chunk.length === 0) return;
    const ids = chunk.map((item) => item.id);
    const payers = new Set(chunk.map((item) => item.payer).filter((stats): stats is OperationStats => stats !== undefined));
    for (const stats of payers) stats.vendorCalls += 1;
    const abandoned = () => chunk.every((item) => !item.background && item.wanted.size === 0);
    try {
      const values = await this.options.fetch(ids, abandoned);
      const fetchedAt = this.now();
      const entries = ids.map((id) => {
        if (!values.has(id)) throw new Error(`${this.describe()}: the fetch answered nothing for an identifier it was given`);
        return [id, { fetchedAt, value: values.get(id)! }] as const;
      });
      // The write is sent before anyone is answered (so another replica asking right after finds it), but not
      // awaited: a slow cache store must not delay the answer.
      // Claims are released once the answer is in the store, where the replicas waiting for it look.
      void this.write(entries).finally(() => this.releaseClaims(ids));
      for (const [id, entry] of entries) this.settle(id, (item) => item.resolve(entry));
    } catch (error) {
      // Released at once: a replica waiting for these identifiers tries for itself rather than waiting out the claim.
      void this.releaseClaims(ids);
      await this.answerStaleOrFail(chunk, error);
    }
  }

  // ─── Across replicas: claims ─────────────────────────────────────────────────────────────────────────────────

  /** The items this replica fetches now; those another replica is fetching are awaited (not sent) meanwhile. */
  private async claimOrAwait(chunk: Pending<V>[]): Promise<Pending<V>[]> {
    if (!this.claims) return chunk;
    const held = await this.claims.claim(chunk.map((item) => this.options.key(item.id)));
    const mine: Pending<V>[] = [];
    const theirs: Pending<V>[] = [];
    chunk.forEach((item, index) => (held[index] ? mine : theirs).push(item));
    if (theirs.length > 0) void traceLeaseWait(this.options.label, theirs.length, (span) => this.awaitOtherReplica(theirs, span));
    return mine;
  }

  /**
   * Waits for another replica's answer to land in the store (short polling, backing off to 200 ms). An identifier
   * whose claim lapsed or was released unanswered (the claimant died or failed) is claimed and queued here — so the
   * wait is bounded by the claim's lifetime (CACHE_CLAIM_TTL), and a Redis that fails reads as "claimed by us": fetch.
   * One nobody waits for any more is dropped.
   */
  private async awaitOtherReplica(items: Pending<V>[], span: Span | undefined): Promise<void> {
    const tally: Record<ClaimWaitOutcome, number> = { answered: 0, took_over: 0, abandoned: 0 };
    const count = (outcome: ClaimWaitOutcome, n: number) => {
      tally[outcome] += n;
      this.countClaimWaits(outcome, n);
    };
    let waiting = items;
    for (let delay = CLAIM_POLL_FIRST_MS; waiting.length > 0; delay = Math.min(delay * 2, CLAIM_POLL_MAX_MS)) {
      await sleep(delay);
      const wanted = this.dropUnwanted(waiting);
      count('abandoned', waiting.length - wanted.length);
      waiting = wanted;
      const polled = await this.poll(waiting);
      const toFetch: Pending<V>[] = [];
      const answeredHeld: string[] = [];
      waiting = [];
      for (const { item, held, entry } of polled) {
        if (entry) {
          this.settle(item.id, (pending) => pending.resolve(entry));
          if (held) answeredHeld.push(item.id);
        } else if (held) {
          toFetch.push(item);
        } else waiting.push(item);
      }
      count('answered', polled.length - toFetch.length - waiting.length);
      count('took_over', toFetch.length);
      void this.releaseClaims(answeredHeld);
      this.enqueue(toFetch);
    }
    span?.setAttributes({ 'lease.answered': tally.answered, 'lease.took_over': tally.took_over, 'lease.abandoned': tally.abandoned });
  }

  /**
   * Claims, then reads the store. In that order: a claimant writes its answer before it releases, so a claim won
   * after a release is followed by a read that sees the answer (read first, and it could land in between).
   */
  private async poll(items: Pending<V>[]): Promise<Array<{ item: Pending<V>; held: boolean; entry?: Fetched<V> }>> {
    if (items.length === 0) return [];
    const held = await this.claims!.claim(items.map((item) => this.options.key(item.id)));
    const stored = await this.stored(items.map((item) => item.id));
    return items.map((item, index) => {
      const entry = stored[index];
      // Only an answer stored after this replica's miss is the one it waited for (not an expired one kept for errors).
      const answers = entry !== undefined && entry.fetchedAt >= item.missedAt - CLOCK_SKEW_MS;
      return { item, held: held[index] === true, ...(answers ? { entry } : {}) };
    });
  }

  /** Items nobody waits for any more are dropped (rejected for whoever might still hold their promise). */
  private dropUnwanted(items: Pending<V>[]): Pending<V>[] {
    const wanted = items.filter((item) => item.background || item.wanted.size > 0);
    for (const item of items) {
      if (!wanted.includes(item))
        this.settle(item.id, (pending) => pending.reject(new Error('abandoned: every operation waiting for it ended')));
    }
    return wanted;
  }

  private countClaimWaits(outcome: ClaimWaitOutcome, count: number): void {
    if (count > 0) this.options.metrics.claimWaits.inc({ method: this.options.label, outcome }, count);
  }

  private async releaseClaims(ids: readonly string[]): Promise<void> {
    await this.claims?.release(ids.map((id) => this.options.key(id)));
  }

  private async write(entries: ReadonlyArray<readonly [string, Fetched<V>]>): Promise<void> {
    const staleIfErrorMs = this.options.staleIfErrorMs ?? 0;
    const stored = entries
      .map(([id, entry]) => ({ id, entry, ttlMs: this.options.ttlOf(entry.value) }))
      .filter(({ ttlMs }) => ttlMs > 0)
      // Kept past the TTL so that it can still answer, marked stale, while the vendor fails.
      .map(({ id, entry, ttlMs }) => ({ key: this.options.key(id), value: entry, ttlMs: ttlMs + staleIfErrorMs }));
    await this.options.cache.setMany(stored);
  }

  /** For an operation that may not pay: an expired entry within the stale window, marked stale, or a refusal unsent. */
  private staleOrRefused(entry: Fetched<V> | undefined, now: number, stats: OperationStats): Fetched<V> | Error {
    const refusal = new VendorError('VENDOR_UNAVAILABLE', `${this.describe()}: not cached, and this operation may not call the vendor`, {
      vendor: this.options.vendor,
      method: this.options.label,
      cacheOnly: true,
    });
    if (!entry || now - entry.fetchedAt >= this.options.ttlOf(entry.value) + (this.options.staleIfErrorMs ?? 0)) return refusal;
    this.options.metrics.cacheLookups.inc({ method: this.options.label, result: 'stale_served' });
    stats.staleServed += 1;
    return { ...entry, stale: true, staleBecause: refusal };
  }

  /** Stale-if-error: an expired entry young enough answers, marked stale; the rest get the error. */
  private async answerStaleOrFail(chunk: Pending<V>[], error: unknown): Promise<void> {
    const staleIfErrorMs = this.options.staleIfErrorMs ?? 0;
    const cached = staleIfErrorMs > 0 ? await this.stored(chunk.map((item) => item.id)) : [];
    const now = this.now();
    chunk.forEach((item, index) => {
      const entry = cached[index];
      if (entry && now - entry.fetchedAt < this.options.ttlOf(entry.value) + staleIfErrorMs) {
        this.options.metrics.cacheLookups.inc({ method: this.options.label, result: 'stale_served' });
        if (item.payer) item.payer.staleServed += 1;
        this.options.onStale?.(item.id, entry);
        this.settle(item.id, (pending) => pending.resolve({ ...entry, stale: true, staleBecause: toError(error) }));
      } else {
        this.settle(item.id, (pending) => pending.reject(error));
      }
    });
  }

  private settle(id: string, action: (item: Pending<V>) => void): void {
    const item = this.pending.get(id);
    if (!item) return;
    this.pending.delete(id);
    action(item);
  }
}

/** No vendor gate: each claim takes its work at once (the vendor client paces itself, e.g. T-Bank's rate limiter). */
const immediate: Slots = {
  admit: () => undefined,
  adjustQueued: () => undefined,
  // A microtask per claim: take() claims again for what is left, without growing the stack.
  claim(claim) {
    queueMicrotask(
      () =>
        void claim
          .take()?.()
          .catch(() => undefined),
    );
  },
};

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
