import type { Lease } from '../../cache/lease.ts';
import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import { isValidInn } from '../../domain/identifiers.ts';
import { rateLimited } from '../../errors.ts';
import { type FocusBatchers, type FocusClient, type FocusIdentifierPair, PER_INN_METHODS } from '../kontur-focus/index.ts';

export type ChangeScope = 'req' | 'egrDetails';

export interface WatchOutcome {
  /** Requested INNs now on the monitored list. */
  watched: string[];
  /** Requested INNs the registry did not know (not echoed by monList). */
  unknown: string[];
  /** Size of the whole monitored list after the call. */
  totalWatched: number;
}

export interface UnwatchOutcome {
  /** Requested INNs taken off the monitored list. */
  unwatched: string[];
  /** Requested INNs that were not on it. */
  notWatched: string[];
  /** Size of the whole monitored list after the call. */
  totalWatched: number;
}

export interface MonitoringServiceOptions {
  /** Cache keys of an INN's documents (extract, financial analysis, express report), evicted with it. */
  documentKeys?: (inn: string) => string[];
  /** Called with INNs just put on the list (the change tracker takes their baseline). */
  onWatched?: (inns: readonly string[]) => Promise<void>;
}

/** The monitored list as GET monList answered it, kept briefly in the cache store (shared with Redis). */
const LIST_KEY = `${CACHE_KEY_VERSION}:monitoring:watchlist`;
const LIST_TTL_MS = 60_000;
/** One edit of the list at a time across the replicas: read, then write back whole (monList has no delete). */
const EDIT_LEASE = `${CACHE_KEY_VERSION}:monitoring:watchlist-edit`;
/** Outlasts a read and a write of the list (FOCUS_TIMEOUT each, 10 s by default); renewed while an edit lasts. */
const EDIT_LEASE_MS = 30_000;
/** How long an edit waits for another replica's; then RATE_LIMITED (nothing was sent). */
const EDIT_WAIT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Kontur.Focus monitoring (the old-style methods): the monitored list (monList: read, appended to, edited) and the
 * daily change feeds (req/mon, egrDetails/mon), plus eviction of changed companies from the cache.
 */
export class MonitoringService {
  private readonly lease: Lease;
  /** This process's edits, one after another (the lease's holder is the process: it cannot tell two of them apart). */
  private editing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: FocusClient,
    private readonly batchers: FocusBatchers,
    private readonly cache: CacheStore,
    private readonly options: MonitoringServiceOptions = {},
  ) {
    this.lease = cache.lease(EDIT_LEASE);
  }

  /** Adds INNs to the monitored list (append, never replace) and reports which ones the registry did not know. */
  async watch(inns: readonly string[]): Promise<WatchOutcome> {
    const requested = [...new Set(inns)];
    // Under the edit lease: an unwatch in flight elsewhere would write back a list read before this append.
    const list = await this.exclusive(() => this.client.addToMonitoring(requested));
    await this.keepList(list);
    const listed = new Set(list.map((pair) => pair.inn).filter((inn): inn is string => inn !== undefined));
    const watched = requested.filter((inn) => listed.has(inn));
    await this.options.onWatched?.(watched);
    return {
      watched,
      unknown: requested.filter((inn) => !listed.has(inn)),
      totalWatched: list.length,
    };
  }

  /**
   * Takes INNs off the monitored list. monList has no delete: the list is read and written back whole (append=false)
   * without them — under a lease shared by the replicas, so concurrent edits (here or on another replica) never write
   * back a list that misses another's change. Nothing is written when none of them is on the list. Never retried.
   */
  async unwatch(inns: readonly string[]): Promise<UnwatchOutcome> {
    const requested = [...new Set(inns)];
    const remove = new Set(requested);
    const { before, after } = await this.exclusive(async () => {
      const current = await this.client.getMonitored();
      const keep = current.filter((pair) => !(pair.inn !== undefined && remove.has(pair.inn)));
      if (keep.length === current.length) return { before: current, after: current };
      // One identifier per company: its INN stands for every registration of it (the vendor adds them all again).
      const identifiers = [...new Set(keep.map((pair) => pair.inn ?? pair.ogrn!))];
      return { before: current, after: await this.client.replaceMonitored(identifiers) };
    });
    await this.keepList(after);
    const listedBefore = new Set(before.map((pair) => pair.inn));
    const listedAfter = new Set(after.map((pair) => pair.inn));
    return {
      unwatched: requested.filter((inn) => listedBefore.has(inn) && !listedAfter.has(inn)),
      notWatched: requested.filter((inn) => !listedBefore.has(inn)),
      totalWatched: after.length,
    };
  }

  /** The monitored list (GET monList), from the cache store when read in the last minute or just edited. */
  async watchedList(): Promise<readonly FocusIdentifierPair[]> {
    const [cached] = await this.cache.getMany<FocusIdentifierPair[]>([LIST_KEY]);
    if (Array.isArray(cached)) return cached;
    const list = await this.client.getMonitored();
    await this.keepList(list);
    return list;
  }

  private async keepList(list: readonly FocusIdentifierPair[]): Promise<void> {
    await this.cache.setMany([{ key: LIST_KEY, value: list, ttlMs: LIST_TTL_MS }]);
  }

  /**
   * Runs an edit of the list alone: after this process's earlier edits, holding the replicas' edit lease (waiting for
   * it up to EDIT_WAIT_MS, then RATE_LIMITED with nothing sent; a Redis that does not answer counts as "not held").
   */
  private async exclusive<T>(edit: () => Promise<T>): Promise<T> {
    const previous = this.editing;
    let done!: () => void;
    this.editing = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous;
      const deadline = Date.now() + EDIT_WAIT_MS;
      for (let waitMs = 50; !(await this.lease.hold(EDIT_LEASE_MS)); waitMs = Math.min(waitMs * 2, 1_000)) {
        if (Date.now() + waitMs > deadline)
          throw rateLimited('The watch list is being edited elsewhere (another replica); nothing was changed, try again', 2);
        await sleep(waitMs);
      }
      const renewal = setInterval(() => void this.lease.hold(EDIT_LEASE_MS), EDIT_LEASE_MS / 3);
      renewal.unref();
      try {
        return await edit();
      } finally {
        clearInterval(renewal);
        await this.lease.release();
      }
    } finally {
      done();
    }
  }

  /** INNs of the monitored companies whose data changed on a date; OGRN-only answers are resolved from the cache or the registry. */
  async changedInns(scope: ChangeScope, date: string): Promise<string[]> {
    const pairs = await this.client.getChanges(scope, date);
    const inns = await Promise.all(pairs.map((pair) => this.innOf(pair)));
    return [...new Set(inns.filter((inn): inn is string => inn !== undefined && isValidInn(inn)))];
  }

  /**
   * Drops every cached per-INN entry of these companies (and their cached extracts), so their next lookup reads the
   * registry again. Throws when the store could not delete, so the caller does not record the change as applied.
   */
  async evict(inns: readonly string[]): Promise<void> {
    const keys = inns.flatMap((inn) => [
      ...PER_INN_METHODS.map((method) => this.batchers[method].key(inn)),
      ...(this.options.documentKeys ? this.options.documentKeys(inn) : []),
    ]);
    if (!(await this.cache.deleteMany(keys))) throw new Error(`could not evict ${inns.length} changed companies from the cache`);
  }

  private async innOf(pair: FocusIdentifierPair): Promise<string | undefined> {
    if (pair.inn) return pair.inn;
    if (!pair.ogrn) return undefined;
    const [entry] = await this.batchers.reqByOgrn.getMany([pair.ogrn], { maxAgeMs: Number.MAX_SAFE_INTEGER });
    // A failed lookup must fail the run: skipping the company would leave its stale data cached for good.
    if (entry instanceof Error) throw entry;
    return entry!.value[0]?.inn;
  }
}
