import DataLoader from 'dataloader';
import type { RequisitesEntry } from '../../domain/company.ts';
import type { Fetched } from '../../cache/cached-fetch.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { RequisitesSource } from '../../loaders/requisites.ts';
import type { TbankService } from './service.ts';
import type { TbankContractsPage, TbankExcerpt } from './vendor/schemas.ts';
import { requisitesEntryOf } from './requisites.ts';

export interface TbankPageKey {
  ogrn: string;
  /** 0, 100, 200 … */
  offset: number;
}

/**
 * Per-request T-Bank loaders: resolver → these DataLoaders → TbankService (process-wide cache + in-flight) →
 * rate-limited client. Every T-Bank reader of a request shares one memo of excerpts, so `shortName`, `status` and
 * `tbankCheck` of one company cost one T-Bank call together.
 */
export interface TbankLoaders {
  /** T-Bank's excerpt by INN (null: T-Bank has no data); rejects with a VendorError. */
  tbankExcerpt: DataLoader<string, TbankExcerpt | null>;
  /** The same, with the time it was fetched. */
  tbankExcerptEntry: DataLoader<string, Fetched<TbankExcerpt | null>>;
  /** Pages of 100 state contracts by OGRN (null: T-Bank does not know the OGRN). */
  tbankContractsPage: DataLoader<TbankPageKey, TbankContractsPage | null, string>;
}

export function createTbankLoaders(service: TbankService, stats?: OperationStats): TbankLoaders {
  const tbankExcerptEntry = new DataLoader<string, Fetched<TbankExcerpt | null>>((inns) =>
    Promise.all(inns.map((inn) => service.excerptByInn(inn, stats).catch((error: Error) => error))),
  );
  const tbankExcerpt = new DataLoader<string, TbankExcerpt | null>(async (inns) =>
    (await tbankExcerptEntry.loadMany(inns)).map((entry) => (entry instanceof Error ? entry : entry.value)),
  );
  const tbankContractsPage = new DataLoader<TbankPageKey, TbankContractsPage | null, string>(
    (keys) =>
      Promise.all(
        keys.map(({ ogrn, offset }) =>
          service.contractsPage(ogrn, offset, stats).then(
            (page) => page.value,
            (error: Error) => error,
          ),
        ),
      ),
    { cacheKeyFn: ({ ogrn, offset }) => `${ogrn}:${offset}` },
  );
  return { tbankExcerpt, tbankExcerptEntry, tbankContractsPage };
}

/**
 * T-Bank as the requisites source of one request (a deployment with a T-Bank token and no Kontur.Focus key), over the
 * request's excerpt memo: an excerpt too old for the lookup is fetched again, and the fresh one then serves every
 * T-Bank reader of the request.
 */
export function tbankRequisitesSource(service: TbankService, loaders: TbankLoaders, now: () => number): RequisitesSource {
  const remember = (inn: string, fetched: Fetched<TbankExcerpt | null>) => {
    loaders.tbankExcerptEntry.clear(inn).prime(inn, fetched);
    loaders.tbankExcerpt.clear(inn).prime(inn, fetched.value);
  };
  const byInn = async (inn: string, maxAgeMs: number, stats?: OperationStats): Promise<RequisitesEntry> => {
    let fetched = await loaders.tbankExcerptEntry.load(inn);
    if (Math.max(0, now() - fetched.fetchedAt) >= maxAgeMs) {
      fetched = await service.excerptByInn(inn, stats, maxAgeMs);
      remember(inn, fetched);
    }
    return requisitesEntryOf(fetched, inn);
  };
  // company(ogrn): T-Bank's excerpt by OGRN; it also serves this request's lookups of its INN.
  const byOgrn = async (ogrn: string, maxAgeMs: number, stats?: OperationStats): Promise<RequisitesEntry> => {
    const fetched = await service.excerptByOgrn(ogrn, stats, maxAgeMs);
    const entry = requisitesEntryOf(fetched);
    const inn = entry.registrations[0]?.inn;
    if (inn && fetched.value) remember(inn, fetched);
    return entry;
  };
  const settle = <T>(work: Promise<T>) => work.catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  return {
    vendor: 'tbank',
    byInn: (inns, maxAgeMs, stats) => Promise.all(inns.map((inn) => settle(byInn(inn, maxAgeMs, stats)))),
    byOgrn: (ogrns, maxAgeMs, stats) => Promise.all(ogrns.map((ogrn) => settle(byOgrn(ogrn, maxAgeMs, stats)))),
  };
}
