import DataLoader from 'dataloader';
import type { TbankService } from './service.ts';
import { requisitesEntry } from './requisites.ts';
import type { FocusReqRecord } from '../kontur-focus/vendor/schemas.ts';
import type { TbankContractsPage, TbankExcerpt } from './vendor/schemas.ts';
import type { VendorEntry } from '../kontur-focus/batcher.ts';
import type { FocusLoader, FocusLoaders } from '../kontur-focus/loaders.ts';
import type { Fetched } from '../../cache/keyed-fetch.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';

export interface TbankPageKey {
  ogrn: string;
  /** 0, 100, 200 … */
  offset: number;
}

/** Per-request T-Bank loaders; every one is undefined when T-Bank is not configured. */
export interface TbankLoaders {
  /**
   * T-Bank's excerpt by INN (null: T-Bank has no data), memoised per request over the process-wide cached,
   * coalesced and rate-limited fetch. Rejects with a VendorError (VENDOR_RATE_LIMITED when the rate limiter refuses).
   * For the risk engine: `riskSignals(excerpt)` in src/modules/tbank/signals.ts.
   */
  tbankExcerpt?: DataLoader<string, TbankExcerpt | null>;
  /** The same, with the time it was fetched. */
  tbankExcerptEntry?: DataLoader<string, Fetched<TbankExcerpt | null>>;
  /** Pages of 100 state contracts by OGRN (null: T-Bank does not know the OGRN). */
  tbankContractsPage?: DataLoader<TbankPageKey, TbankContractsPage | null, string>;
}

export interface TbankLoaderOptions {
  /** True when Kontur.Focus is not configured: the requisites loaders (req, reqForStatus, reqByOgrn) answer from T-Bank. */
  backsRequisites: boolean;
  /** CACHE_TTL_STATUS: status fields refetch an excerpt older than this, as with Kontur.Focus. */
  statusMs: number;
  now?: () => number;
  stats?: OperationStats;
}

export type TbankRequisitesLoaders = Pick<FocusLoaders, 'req' | 'reqForStatus' | 'reqByOgrn'>;

/**
 * The per-request T-Bank loaders, and — when Kontur.Focus is not configured — the requisites loaders the Company module
 * reads, backed by T-Bank: resolver → these DataLoaders → TbankService (process-wide cache + in-flight) → TbankClient.
 * Every T-Bank-backed loader of a request shares one memo of excerpts, so `shortName`, `status` and `tbankCheck`
 * of one company cost one T-Bank call together.
 */
export function createTbankLoaders(service: TbankService, options: TbankLoaderOptions): TbankLoaders & Partial<TbankRequisitesLoaders> {
  const { stats } = options;
  const now = options.now ?? Date.now;
  const tbankExcerptEntry = new DataLoader<string, Fetched<TbankExcerpt | null>>((inns) =>
    Promise.all(inns.map((inn) => service.excerptByInn(inn, stats).catch((error: Error) => error))),
  );
  const tbankExcerpt = new DataLoader<string, TbankExcerpt | null>(async (inns) =>
    (await tbankExcerptEntry.loadMany(inns)).map((entry) => (entry instanceof Error ? entry : entry.value)),
  );
  const tbankContractsPage = new DataLoader<TbankPageKey, TbankContractsPage | null, string>(
    (keys) => Promise.all(keys.map(({ ogrn, offset }) => service.contractsPage(ogrn, offset, stats).then((page) => page.value, (error: Error) => error))),
    { cacheKeyFn: ({ ogrn, offset }) => `${ogrn}:${offset}` },
  );
  const loaders: TbankLoaders = { tbankExcerpt, tbankExcerptEntry, tbankContractsPage };
  if (!options.backsRequisites) return loaders;

  const req: FocusLoader<'req'> = new DataLoader(async (inns) =>
    (await tbankExcerptEntry.loadMany(inns)).map((entry, index) => (entry instanceof Error ? entry : requisitesEntry(entry, inns[index]))),
  );

  // Status fields read an excerpt no older than CACHE_TTL_STATUS: what this request loaded when young enough, else a
  // refetch that then replaces the request's entry, so every field of the answer reads the same data.
  const reqForStatus: FocusLoader<'req'> = new DataLoader(async (inns) => {
    const loaded = await tbankExcerptEntry.loadMany(inns);
    const at = now();
    return Promise.all(
      loaded.map(async (entry, index): Promise<VendorEntry<FocusReqRecord> | Error> => {
        const inn = inns[index]!;
        if (entry instanceof Error) return entry;
        if (Math.max(0, at - entry.fetchedAt) < options.statusMs) return requisitesEntry(entry, inn);
        try {
          const fresh = await service.excerptByInn(inn, stats, options.statusMs);
          tbankExcerptEntry.clear(inn).prime(inn, fresh);
          tbankExcerpt.clear(inn).prime(inn, fresh.value);
          const record = requisitesEntry(fresh, inn);
          req.clear(inn).prime(inn, record);
          return record;
        } catch (error) {
          return error as Error;
        }
      }),
    );
  });

  // company(ogrn): T-Bank's excerpt by OGRN. The answer also serves this request's lookups of its INN, so the
  // fields read that registration's data without a second call.
  const reqByOgrn: FocusLoader<'req'> = new DataLoader((ogrns) =>
    Promise.all(
      ogrns.map(async (ogrn) => {
        try {
          const fetched = await service.excerptByOgrn(ogrn, stats);
          const entry = requisitesEntry(fetched);
          const inn = entry.records[0]?.inn;
          if (inn && fetched.value) {
            tbankExcerptEntry.prime(inn, fetched);
            tbankExcerpt.prime(inn, fetched.value);
          }
          return entry;
        } catch (error) {
          return error as Error;
        }
      }),
    ),
  );
  return { ...loaders, req, reqForStatus, reqByOgrn };
}
