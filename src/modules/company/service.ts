import type { CacheStore } from '../../cache/store.ts';
import { VendorError, type VendorErrorCode } from '../../errors.ts';
import type { Fetched } from '../../cache/cached-fetch.ts';
import { type FocusBatchers, PER_INN_METHODS, type PerInnMethod } from '../kontur-focus/index.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';

export type { PerInnMethod };

export type FreshEntries = Map<PerInnMethod, Fetched<unknown[]>>;

/** Process-wide operations on companies that are not plain loads. */
export class CompanyService {
  /** Refreshes already asked for by an operation: aliases of one INN share one. */
  private readonly byOperation = new WeakMap<OperationStats, Map<string, Promise<FreshEntries>>>();

  constructor(
    private readonly batchers: FocusBatchers,
    private readonly cache: CacheStore,
    /** REFRESH_MIN_INTERVAL: data younger than this is what a refresh answers with, without a call. */
    private readonly minIntervalMs: number,
  ) {}

  /**
   * Refetches every method cached for this INN (req always, since the answer needs it), in one call per method —
   * at most once per REFRESH_MIN_INTERVAL (younger data answers) and once per operation, however many aliases ask.
   * Answers with the fresh entries, for the mutation to hand to its own loaders.
   */
  refresh(inn: string, stats?: OperationStats): Promise<FreshEntries> {
    if (!stats) return this.refreshNow(inn);
    let asked = this.byOperation.get(stats);
    if (!asked) this.byOperation.set(stats, (asked = new Map<string, Promise<FreshEntries>>()));
    let refreshing = asked.get(inn);
    if (!refreshing) asked.set(inn, (refreshing = this.refreshNow(inn, stats)));
    return refreshing;
  }

  private async refreshNow(inn: string, stats?: OperationStats): Promise<FreshEntries> {
    const cached = await this.cache.getMany(PER_INN_METHODS.map((method) => this.batchers[method].key(inn)));
    const methods = PER_INN_METHODS.filter((method, index) => method === 'req' || cached[index] !== undefined);
    const results = await Promise.all(
      methods.map((method) => (this.batchers[method] as FocusBatchers['req']).getMany([inn], { maxAgeMs: this.minIntervalMs, stats })),
    );
    const fresh: FreshEntries = new Map();
    methods.forEach((method, index) => {
      const [result] = results[index]!;
      if (result instanceof Error) throw result;
      // "Update data from Focus" must not pass older cached data off as fresh; the vendor's own code says why.
      if (result!.stale) throw refreshFailed(method, result!.staleBecause);
      fresh.set(method, result!);
    });
    return fresh;
  }
}

function refreshFailed(method: PerInnMethod, cause: Error | undefined): VendorError {
  const code: VendorErrorCode = cause instanceof VendorError ? cause.code : 'VENDOR_UNAVAILABLE';
  const why = cause instanceof VendorError ? cause.message : 'Kontur.Focus is unavailable';
  return new VendorError(code, `${why}; the data could not be refreshed (cached data kept)`, {
    vendor: 'kontur-focus',
    method,
    ...(cause instanceof VendorError && cause.extensions.status !== undefined ? { status: cause.extensions.status as number } : {}),
  });
}
