import type { CacheStore } from '../../cache/store.ts';
import { isValidInn } from '../../domain/identifiers.ts';
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

/**
 * Kontur.Focus monitoring (the old-style methods): the monitored list (monList) and the daily change feeds
 * (req/mon, egrDetails/mon), plus eviction of changed companies from the cache.
 */
export class MonitoringService {
  constructor(
    private readonly client: FocusClient,
    private readonly batchers: FocusBatchers,
    private readonly cache: CacheStore,
    /** Cache keys of an INN's documents (extract, financial analysis, express report), evicted with it. */
    private readonly documentKeys?: (inn: string) => string[],
  ) {}

  /** Adds INNs to the monitored list (append, never replace) and reports which ones the registry did not know. */
  async watch(inns: readonly string[]): Promise<WatchOutcome> {
    const requested = [...new Set(inns)];
    const list = await this.client.addToMonitoring(requested);
    const listed = new Set(list.map((pair) => pair.inn).filter((inn): inn is string => inn !== undefined));
    return {
      watched: requested.filter((inn) => listed.has(inn)),
      unknown: requested.filter((inn) => !listed.has(inn)),
      totalWatched: list.length,
    };
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
      ...(this.documentKeys ? this.documentKeys(inn) : []),
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
