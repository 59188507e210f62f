import { CACHE_KEY_VERSION } from '../../cache/store.ts';
import { ExpiringFetch, type ExpiringFetchDeps } from '../../cache/expiring-fetch.ts';
import type { Fetched } from '../../cache/keyed-fetch.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
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

export const TBANK_PAGE_SIZE = TBANK_CONTRACTS_PAGE_SIZE;

/**
 * Process-wide T-Bank data: excerpts by INN and by OGRN and pages of state contracts, each cached (namespaced,
 * versioned keys, in memory or Redis) and coalesced per key, so concurrent lookups of one company cost one call.
 * T-Bank has no batch method: every miss is one call through the client's rate limiter.
 */
export class TbankService {
  private readonly excerptsByInn: ExpiringFetch<TbankExcerpt | null>;
  private readonly excerptsByOgrn: ExpiringFetch<TbankExcerpt | null>;
  private readonly contracts: ExpiringFetch<TbankContractsPage | null>;

  constructor(
    readonly client: TbankClient,
    deps: ExpiringFetchDeps,
    readonly ttl: TbankTtl,
  ) {
    this.excerptsByInn = new ExpiringFetch('tbank:excerpt/by-inn', deps);
    this.excerptsByOgrn = new ExpiringFetch('tbank:excerpt', deps);
    this.contracts = new ExpiringFetch('tbank:contracts', deps);
  }

  excerptKey(kind: 'inn' | 'ogrn', id: string): string {
    return `${CACHE_KEY_VERSION}:tbank:excerpt:${kind}:${id}`;
  }

  contractsKey(ogrn: string, offset: number): string {
    return `${CACHE_KEY_VERSION}:tbank:contracts:ogrn:${ogrn}:offset:${offset}:limit:${TBANK_PAGE_SIZE}`;
  }

  /** The excerpt of an INN no older than maxAgeMs (default: CACHE_TTL_REQUISITES); value null when T-Bank has none. */
  excerptByInn(inn: string, stats?: OperationStats, maxAgeMs = this.ttl.foundMs): Promise<Fetched<TbankExcerpt | null>> {
    return this.excerptsByInn.get(this.excerptKey('inn', inn), this.lookup(maxAgeMs), (abandoned) => this.client.getExcerptByInn(inn, abandoned), stats);
  }

  excerptByOgrn(ogrn: string, stats?: OperationStats, maxAgeMs = this.ttl.foundMs): Promise<Fetched<TbankExcerpt | null>> {
    return this.excerptsByOgrn.get(this.excerptKey('ogrn', ogrn), this.lookup(maxAgeMs), (abandoned) => this.client.getExcerptByOgrn(ogrn, abandoned), stats);
  }

  /** One page of 100 contracts (offset 0, 100, 200 …); value null when T-Bank does not know the OGRN. */
  contractsPage(ogrn: string, offset: number, stats?: OperationStats): Promise<Fetched<TbankContractsPage | null>> {
    return this.contracts.get(
      this.contractsKey(ogrn, offset),
      { maxAgeMs: this.ttl.listsMs, ttlOf: (page) => (page ? this.ttl.listsMs : this.ttl.notFoundMs) },
      (abandoned) => this.client.getContracts(ogrn, offset, TBANK_PAGE_SIZE, abandoned),
      stats,
    );
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private lookup(maxAgeMs: number) {
    return { maxAgeMs, ttlOf: (excerpt: TbankExcerpt | null) => (excerpt ? this.ttl.foundMs : this.ttl.notFoundMs) };
  }
}
