import DataLoader from 'dataloader';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import { requisitesLoaders, type RequisitesLoaders, type RequisitesTtl } from '../../loaders/requisites.ts';
import type { FocusBatcher, FocusEntry } from './batcher.ts';
import { createPageLoader, type FocusPages, type PageLoader } from './pages.ts';
import { focusRequisitesSource } from './requisites.ts';
import { PER_INN_METHODS, type FocusBatchMethod, type FocusRecordOf, type PerInnMethod } from './vendor/methods.ts';

/** One process-wide batcher per cached batch method, and req by OGRN. */
export type PerInnBatchers = { [M in PerInnMethod]: FocusBatcher<M> };
export type FocusBatchers = PerInnBatchers & { reqByOgrn: FocusBatcher<'req'> };

export type FocusLoader<M extends FocusBatchMethod> = DataLoader<string, FocusEntry<M>>;

/**
 * Vendor calls the per-request loaders batch but nothing caches: briefReport answers one-time personal links,
 * so every operation asks for its own (up to 100 INNs per call, in the gate's slots).
 */
export interface FocusUncachedSources {
  briefReport(inns: readonly string[], stats?: OperationStats): Promise<FocusRecordOf<'briefReport'>[]>;
}

/** The per-INN methods with a loader of their own: every `perInn` row of the method table but req. */
export type LoadedMethod = Exclude<PerInnMethod, 'req'>;
/** req is read through `requisites` (mapped to the graph's shape), never through a loader of raw records. */
export const LOADED_METHODS = PER_INN_METHODS.filter((method): method is LoadedMethod => method !== 'req');

/** One loader per per-INN method of the method table (but req), under the method's name. */
export type FocusMethodLoaders = { [M in LoadedMethod]: FocusLoader<M> };

/** Per-request Kontur.Focus loaders: deduplicate and memoise within one operation, batch up to 100 ids into the shared batchers. */
export interface FocusLoaders extends FocusMethodLoaders {
  /** False when Kontur.Focus is not configured: every load fails at once as not configured. */
  configured: boolean;
  /** Pages of fssp and govPurchasesOf*, memoised per request. */
  pages: PageLoader;
  /** briefReport records by INN (every registration's), for their one-time links: never cached nor shared. */
  briefReportLinks: DataLoader<string, FocusRecordOf<'briefReport'>[]>;
  /** Registrations through `req`, mapped to the graph's shape. */
  requisites: RequisitesLoaders;
}

function loaderOver<M extends FocusBatchMethod & PerInnMethod>(
  batcher: FocusBatcher<M>,
  maxAgeMs: number,
  stats?: OperationStats,
): FocusLoader<M> {
  return new DataLoader<string, FocusEntry<M>>((ids) => batcher.getMany(ids, { maxAgeMs, stats }), { maxBatchSize: 100 });
}

function uncachedLoaderOver(
  fetch: FocusUncachedSources['briefReport'],
  stats?: OperationStats,
): DataLoader<string, FocusRecordOf<'briefReport'>[]> {
  return new DataLoader(
    async (inns) => {
      if (stats) stats.vendorCalls += 1;
      const records = await fetch(inns, stats);
      return inns.map((inn) => records.filter((record) => record.inn === inn));
    },
    { maxBatchSize: 100 },
  );
}

export function createFocusLoaders(
  configured: boolean,
  batchers: FocusBatchers,
  pages: FocusPages,
  uncached: FocusUncachedSources,
  ttl: RequisitesTtl,
  now: () => number,
  stats?: OperationStats,
): FocusLoaders {
  const perInn: PerInnBatchers = batchers;
  const loaderOf = <M extends LoadedMethod>(method: M): FocusLoader<M> => loaderOver(perInn[method], ttl.requisitesMs, stats);
  const methodLoaders = Object.fromEntries(LOADED_METHODS.map((method) => [method, loaderOf(method)])) as FocusMethodLoaders;
  return {
    configured,
    ...methodLoaders,
    pages: createPageLoader(pages, stats),
    briefReportLinks: uncachedLoaderOver((inns, operation) => uncached.briefReport(inns, operation), stats),
    requisites: requisitesLoaders(focusRequisitesSource(batchers.req, batchers.reqByOgrn), ttl, now, stats),
  };
}
