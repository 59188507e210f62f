import { CachedFetch, type Fetched } from '../../cache/cached-fetch.ts';
import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { TBANK_CONTRACTS_PAGE_SIZE, type TbankClient } from './vendor/client.ts';
import type { TbankContractsPage, TbankExcerpt } from './vendor/schemas.ts';

export interface TbankTtl {
  /** Excerpts T-Bank has (CACHE_TTL_REQUISITES). */
  foundMs: number;
  /** "T-Bank has no data" (its 422 NO_DATA; CACHE_TTL_NOT_FOUND). */
  notFoundMs: number;
  /** Pages of state contracts (CACHE_TTL_LISTS). */
  listsMs: number;
}

export interface TbankServiceDeps {
  cache: CacheStore;
  metrics: Metrics;
  now?: () => number;
}

export const TBANK_PAGE_SIZE = TBANK_CONTRACTS_PAGE_SIZE;

/**
 * The stored form of a mapped excerpt, bumped with the schema's output (`e2`: founders, licences, related companies,
 * finance by year, tax debt and risk level), so an entry cached in Redis by an older release is never read as one
 * without them.
 */
const EXCERPT_FORM = 'e2';

/**
 * Process-wide T-Bank data: excerpts by INN and by OGRN and pages of state contracts, each through the one cached fetch
 * (namespaced, versioned keys, in memory or Redis; concurrent lookups of one company cost one call). T-Bank has no
 * batch method: every miss is one call, paced by the client's rate limiter rather than a slot gate.
 */
export class TbankService {
  private readonly excerptsByInn: CachedFetch<TbankExcerpt | null>;
  private readonly excerptsByOgrn: CachedFetch<TbankExcerpt | null>;
  private readonly contracts: CachedFetch<TbankContractsPage | null>;

  constructor(
    readonly client: TbankClient,
    deps: TbankServiceDeps,
    readonly ttl: TbankTtl,
  ) {
    const excerpts = (label: string, kind: 'inn' | 'ogrn', fetch: (id: string, abandoned: () => boolean) => Promise<TbankExcerpt | null>) =>
      this.fetch<TbankExcerpt | null>(
        label,
        deps,
        (id) => this.excerptKey(kind, id),
        fetch,
        (excerpt) => (excerpt ? ttl.foundMs : ttl.notFoundMs),
      );
    this.excerptsByInn = excerpts('tbank:excerpt/by-inn', 'inn', (inn, abandoned) => client.getExcerptByInn(inn, abandoned));
    this.excerptsByOgrn = excerpts('tbank:excerpt', 'ogrn', (ogrn, abandoned) => client.getExcerptByOgrn(ogrn, abandoned));
    this.contracts = this.fetch<TbankContractsPage | null>(
      'tbank:contracts',
      deps,
      (id) => this.contractsKey(...splitPageId(id)),
      (id, abandoned) => client.getContracts(...splitPageId(id), TBANK_PAGE_SIZE, abandoned),
      (page) => (page ? ttl.listsMs : ttl.notFoundMs),
    );
  }

  excerptKey(kind: 'inn' | 'ogrn', id: string): string {
    return `${CACHE_KEY_VERSION}:tbank:excerpt:${EXCERPT_FORM}:${kind}:${id}`;
  }

  contractsKey(ogrn: string, offset: number): string {
    return `${CACHE_KEY_VERSION}:tbank:contracts:ogrn:${ogrn}:offset:${offset}:limit:${TBANK_PAGE_SIZE}`;
  }

  /** The excerpt of an INN no older than maxAgeMs (default: CACHE_TTL_REQUISITES); value null when T-Bank has none. */
  excerptByInn(inn: string, stats?: OperationStats, maxAgeMs = this.ttl.foundMs): Promise<Fetched<TbankExcerpt | null>> {
    return this.excerptsByInn.get(inn, { maxAgeMs, stats });
  }

  excerptByOgrn(ogrn: string, stats?: OperationStats, maxAgeMs = this.ttl.foundMs): Promise<Fetched<TbankExcerpt | null>> {
    return this.excerptsByOgrn.get(ogrn, { maxAgeMs, stats });
  }

  /** One page of 100 contracts (offset 0, 100, 200 …); value null when T-Bank does not know the OGRN. */
  contractsPage(ogrn: string, offset: number, stats?: OperationStats): Promise<Fetched<TbankContractsPage | null>> {
    return this.contracts.get(`${ogrn}:${offset}`, { maxAgeMs: this.ttl.listsMs, stats });
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private fetch<V>(
    label: string,
    deps: TbankServiceDeps,
    key: (id: string) => string,
    fetch: (id: string, abandoned: () => boolean) => Promise<V>,
    ttlOf: (value: V) => number,
  ): CachedFetch<V> {
    return new CachedFetch<V>({
      label,
      vendor: 'tbank',
      cache: deps.cache,
      metrics: deps.metrics,
      ...(deps.now ? { now: deps.now } : {}),
      key,
      fetch: async ([id], abandoned) => new Map([[id!, await fetch(id!, abandoned)]]),
      ttlOf,
    });
  }
}

function splitPageId(id: string): [string, number] {
  const [ogrn, offset] = id.split(':') as [string, string];
  return [ogrn, Number(offset)];
}
