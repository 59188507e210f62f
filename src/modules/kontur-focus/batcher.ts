import { CachedFetch, type Fetched } from '../../cache/cached-fetch.ts';
import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { VendorGate } from '../../loaders/vendor-gate.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { FOCUS_MAX_IDS_PER_CALL, type FocusClient, type FocusIdParam } from './vendor/client.ts';
import type { CompanyRecord } from '../../domain/company.ts';
import type { FocusBatchMethod, FocusRecordOf } from './vendor/methods.ts';
import { companyRecordOf } from './req-mapping.ts';

/**
 * What the cache keeps of one record: `req` mapped, once, when it is fetched, to the graph's company (req-mapping.ts)
 * — smaller than the vendor's record and never mapped again per request; the other methods as the vendor answered.
 */
export type FocusStoredOf<M extends FocusBatchMethod> = M extends 'req' ? CompanyRecord : FocusRecordOf<M>;

/** What the cache holds per batch method and identifier: every record the vendor returned for it (none: unknown). */
export type FocusEntry<M extends FocusBatchMethod> = Fetched<FocusStoredOf<M>[]>;

/** A process-wide batching cached fetch of one Kontur.Focus batch method. */
export type FocusBatcher<M extends FocusBatchMethod> = CachedFetch<FocusStoredOf<M>[]>;

/** A vendor record in the form the cache keeps; `id`: the identifier it was asked by. */
function storedForm<M extends FocusBatchMethod>(
  method: M,
  idParam: FocusIdParam,
): (record: FocusRecordOf<M>, id: string) => FocusStoredOf<M> {
  if (method !== 'req') return (record) => record as FocusStoredOf<M>;
  // A record that does not name its own INN takes the one asked for (by-OGRN lookups have none to give).
  return (record, id) => companyRecordOf(record as FocusRecordOf<'req'>, idParam === 'inn' ? id : undefined) as FocusStoredOf<M>;
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
 * One Kontur.Focus batch method through the one cached fetch: up to 100 identifiers per call, every record answered
 * grouped under the identifier it carries (several registrations per INN possible), found and not-found entries
 * kept for their own TTLs.
 */
export function focusBatcher<M extends FocusBatchMethod>(method: M, idParam: FocusIdParam, deps: FocusBatcherDeps): FocusBatcher<M> {
  const { ttl } = deps;
  const toStored = storedForm(method, idParam);
  return new CachedFetch<FocusStoredOf<M>[]>({
    label: method,
    vendor: 'kontur-focus',
    cache: deps.cache,
    metrics: deps.metrics,
    ...(deps.now ? { now: deps.now } : {}),
    key: (id) => `${CACHE_KEY_VERSION}:focus:${method}:${idParam}:${id}`,
    maxBatch: FOCUS_MAX_IDS_PER_CALL,
    gate: deps.gate,
    async fetch(ids) {
      const records = await deps.client.getBatch(method, idParam, ids);
      const byId = new Map<string, FocusStoredOf<M>[]>(ids.map((id) => [id, []]));
      for (const record of records) {
        const id = (record as Partial<Record<FocusIdParam, string>>)[idParam]!;
        byId.get(id)?.push(toStored(record, id));
      }
      return byId;
    },
    ttlOf: (records) => (records.length > 0 ? ttl.foundMs : ttl.notFoundMs),
    staleIfErrorMs: ttl.staleIfErrorMs,
    isValue:
      method === 'req'
        ? isCompanyRecords
        : method === 'egrDetails'
          ? isEgrDetailsRecords
          : (value): value is FocusStoredOf<M>[] => Array.isArray(value),
  });
}

/** A stored `req` value holds companies as this version maps them; anything else (another version's record) is a miss. */
/** A stored `req` entry of the current shape (with its history: entries stored before it had one are misses). */
function isCompanyRecords<T>(value: unknown): value is T[] {
  return (
    Array.isArray(value) &&
    value.every(
      (record: Partial<CompanyRecord> | null) =>
        typeof record?.inn === 'string' && typeof record.status?.code === 'string' && Array.isArray(record.history?.heads),
    )
  );
}

/** A stored `egrDetails` entry that kept the registry's history (entries stored before it was parsed are misses). */
function isEgrDetailsRecords<T>(value: unknown): value is T[] {
  return (
    Array.isArray(value) && value.every((record: { UL?: { history?: unknown } } | null) => !record?.UL || record.UL.history !== undefined)
  );
}
