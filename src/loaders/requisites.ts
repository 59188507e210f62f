import DataLoader from 'dataloader';
import type { RequisitesEntry } from '../domain/company.ts';
import type { VendorName } from '../errors.ts';
import type { OperationStats } from './operation-stats.ts';

/**
 * Where a company's registrations come from: Kontur.Focus's `req`, or T-Bank's excerpt when Kontur.Focus is not
 * configured. Each source answers entries already mapped to the graph's shape (domain/company.ts); the loaders over
 * it are the same for both.
 */
export interface RequisitesSource {
  readonly vendor: VendorName;
  /** For each INN, its registrations no older than maxAgeMs, or the error that kept them away. */
  byInn(inns: readonly string[], maxAgeMs: number, stats?: OperationStats): Promise<(RequisitesEntry | Error)[]>;
  /** For each OGRN, the registration it names (and so its INN). */
  byOgrn(ogrns: readonly string[], maxAgeMs: number, stats?: OperationStats): Promise<(RequisitesEntry | Error)[]>;
}

export type RequisitesLoader = DataLoader<string, RequisitesEntry>;

/** The per-request requisites loaders every module reads registrations through. */
export interface RequisitesLoaders {
  readonly vendor: RequisitesSource['vendor'];
  /** By INN, accepting data up to CACHE_TTL_REQUISITES old. */
  req: RequisitesLoader;
  /** By INN for status fields: an entry older than CACHE_TTL_STATUS is refetched (and then serves `req` too). */
  reqForStatus: RequisitesLoader;
  /** By OGRN. */
  reqByOgrn: RequisitesLoader;
}

export interface RequisitesTtl {
  requisitesMs: number;
  statusMs: number;
}

/**
 * DataLoaders over a source, memoised per request and batched up to 100. Status-fresh entries are what this request
 * already loaded when young enough (a status next to a name never costs a second call), else refetched; a refetched
 * entry replaces the request's `req` entry, so every field of one answer reads the same data.
 */
export function requisitesLoaders(
  source: RequisitesSource,
  ttl: RequisitesTtl,
  now: () => number,
  stats?: OperationStats,
): RequisitesLoaders {
  const req: RequisitesLoader = new DataLoader((inns) => source.byInn(inns, ttl.requisitesMs, stats), { maxBatchSize: 100 });
  const statusMs = Math.min(ttl.statusMs, ttl.requisitesMs);
  const reqForStatus: RequisitesLoader = new DataLoader(
    async (inns) => {
      const loaded = await req.loadMany(inns);
      const at = now();
      // A failed load, or one just answered stale because the vendor failed, is passed through as it is: asking again
      // here would pay for the same failure twice. "Not in the registry" has no status to refresh: it keeps its own TTL.
      const old = inns.filter((_, index) => {
        const entry = loaded[index]!;
        return !(entry instanceof Error) && !entry.stale && entry.registrations.length > 0 && Math.max(0, at - entry.fetchedAt) >= statusMs;
      });
      const refreshed = new Map<string, RequisitesEntry | Error>();
      const answers = old.length > 0 ? await source.byInn(old, statusMs, stats) : [];
      old.forEach((inn, index) => {
        const answer = answers[index]!;
        refreshed.set(inn, answer);
        if (!(answer instanceof Error)) req.clear(inn).prime(inn, answer);
      });
      return inns.map((inn, index) => refreshed.get(inn) ?? loaded[index]!);
    },
    { maxBatchSize: 100 },
  );
  const reqByOgrn: RequisitesLoader = new DataLoader((ogrns) => source.byOgrn(ogrns, ttl.requisitesMs, stats), { maxBatchSize: 100 });
  return { vendor: source.vendor, req, reqForStatus, reqByOgrn };
}
