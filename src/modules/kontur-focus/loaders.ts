import DataLoader from 'dataloader';
import type { FocusBatchMethod, FocusRecordOf } from './vendor/schemas.ts';
import type { FocusMethodBatcher, VendorEntry } from './batcher.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import { createPageLoader, type FocusPages, type PageLoader } from './pages.ts';

export interface FocusBatchers {
  req: FocusMethodBatcher<'req'>;
  contacts: FocusMethodBatcher<'contacts'>;
  reqByOgrn: FocusMethodBatcher<'req'>;
  egrDetails: FocusMethodBatcher<'egrDetails'>;
  analytics: FocusMethodBatcher<'analytics'>;
  licences: FocusMethodBatcher<'licences'>;
  buh: FocusMethodBatcher<'buh'>;
}

export interface FocusLoaderTtl {
  requisitesMs: number;
  statusMs: number;
}

export type Clock = () => number;

export type FocusLoader<M extends FocusBatchMethod> = DataLoader<string, VendorEntry<FocusRecordOf<M>>>;

/**
 * Vendor calls the per-request loaders batch but nothing caches: briefReport answers one-time personal links,
 * so every operation asks for its own (up to 100 INNs per call, under the shared concurrency limit).
 */
export interface FocusUncachedSources {
  briefReport(inns: readonly string[], stats?: OperationStats): Promise<FocusRecordOf<'briefReport'>[]>;
}

/** Per-request DataLoaders: deduplicate and memoise within one operation, batch up to 100 ids into the shared batchers. */
export interface FocusLoaders {
  /** req by INN, accepting cached data up to CACHE_TTL_REQUISITES old. */
  req: FocusLoader<'req'>;
  /** req by INN for status fields: a cached entry older than CACHE_TTL_STATUS is refetched. */
  reqForStatus: FocusLoader<'req'>;
  /** req by OGRN: resolves an OGRN to its registry record (and so to its INN). */
  reqByOgrn: FocusLoader<'req'>;
  egrDetails: FocusLoader<'egrDetails'>;
  analytics: FocusLoader<'analytics'>;
  licences: FocusLoader<'licences'>;
  buh: FocusLoader<'buh'>;
  contacts: FocusLoader<'contacts'>;
  /** Pages of fssp and govPurchasesOf*, memoised per request. */
  pages: PageLoader;
  /**
   * briefReport records by INN (every registration's), for their one-time links: batched up to 100 INNs per call,
   * memoised only within this request, never cached nor shared with another operation.
   */
  briefReportLinks: DataLoader<string, FocusRecordOf<'briefReport'>[]>;
}

function loaderOver<M extends FocusBatchMethod>(batcher: FocusMethodBatcher<M>, maxAgeMs: number, stats: OperationStats | undefined): FocusLoader<M> {
  return new DataLoader<string, VendorEntry<FocusRecordOf<M>>>((ids) => batcher.load(ids, maxAgeMs, stats), { maxBatchSize: 100 });
}

function uncachedLoaderOver<M extends FocusBatchMethod>(
  fetch: (inns: readonly string[], stats?: OperationStats) => Promise<FocusRecordOf<M>[]>,
  stats: OperationStats | undefined,
): DataLoader<string, FocusRecordOf<M>[]> {
  return new DataLoader<string, FocusRecordOf<M>[]>(
    async (inns) => {
      if (stats) stats.vendorCalls += 1;
      const records = await fetch(inns, stats);
      return inns.map((inn) => records.filter((record) => record.inn === inn));
    },
    { maxBatchSize: 100 },
  );
}

/**
 * req entries young enough for status: what this request already loaded when it is fresh enough
 * (so a status next to a name never costs a second call), else refetched through the batcher.
 * A refetched entry replaces the request's req entry, so every field of the answer reads the same data.
 */
function statusLoaderOver(
  req: FocusLoader<'req'>,
  batcher: FocusMethodBatcher<'req'>,
  maxAgeMs: number,
  now: Clock,
  stats: OperationStats | undefined,
): FocusLoader<'req'> {
  return new DataLoader<string, VendorEntry<FocusRecordOf<'req'>>>(
    async (ids) => {
      const loaded = await req.loadMany(ids);
      const at = now();
      // A failed load, or one just answered stale because the vendor failed, is passed through as it is:
      // asking again here would pay for the same failure twice.
      const stale = ids.filter((_, index) => {
        const entry = loaded[index]!;
        return !(entry instanceof Error) && !entry.stale && Math.max(0, at - entry.fetchedAt) >= maxAgeMs;
      });
      const refreshed = new Map<string, VendorEntry<FocusRecordOf<'req'>> | Error>();
      const answers = stale.length > 0 ? await batcher.load(stale, maxAgeMs, stats) : [];
      stale.forEach((id, index) => {
        const answer = answers[index]!;
        refreshed.set(id, answer);
        if (!(answer instanceof Error)) req.clear(id).prime(id, answer);
      });
      return ids.map((id, index) => refreshed.get(id) ?? loaded[index]!);
    },
    { maxBatchSize: 100 },
  );
}

export function createFocusLoaders(
  batchers: FocusBatchers,
  pages: FocusPages,
  uncached: FocusUncachedSources,
  ttl: FocusLoaderTtl,
  now: Clock = Date.now,
  stats?: OperationStats,
): FocusLoaders {
  const req = loaderOver(batchers.req, ttl.requisitesMs, stats);
  return {
    req,
    reqForStatus: statusLoaderOver(req, batchers.req, Math.min(ttl.statusMs, ttl.requisitesMs), now, stats),
    reqByOgrn: loaderOver(batchers.reqByOgrn, ttl.requisitesMs, stats),
    egrDetails: loaderOver(batchers.egrDetails, ttl.requisitesMs, stats),
    analytics: loaderOver(batchers.analytics, ttl.requisitesMs, stats),
    licences: loaderOver(batchers.licences, ttl.requisitesMs, stats),
    buh: loaderOver(batchers.buh, ttl.requisitesMs, stats),
    contacts: loaderOver(batchers.contacts, ttl.requisitesMs, stats),
    pages: createPageLoader(pages, stats),
    briefReportLinks: uncachedLoaderOver<'briefReport'>((inns, operation) => uncached.briefReport(inns, operation), stats),
  };
}
