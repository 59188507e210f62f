import DataLoader from 'dataloader';
import { CACHE_KEY_VERSION } from '../../cache/store.ts';
import type { FocusClient, FocusPage } from './vendor/client.ts';
import type { FocusPagedMethod } from './vendor/schemas.ts';
import { KeyedFetch, type Fetched, type KeyedFetchDeps } from '../../cache/keyed-fetch.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';

export interface PageKey {
  method: FocusPagedMethod;
  inn: string;
  /** 0, 1000, 2000 … */
  skip: number;
}

/**
 * Process-wide pages of the paged methods (fssp, govPurchasesOf*): one vendor call per page, cached per
 * method, INN and skip for CACHE_TTL_LISTS, shared by concurrent operations.
 */
export class FocusPages {
  private readonly fetches = new Map<FocusPagedMethod, KeyedFetch<FocusPage<unknown>>>();

  constructor(
    private readonly client: FocusClient,
    private readonly deps: KeyedFetchDeps,
    private readonly ttlMs: number,
  ) {}

  cacheKey({ method, inn, skip }: PageKey): string {
    return `${CACHE_KEY_VERSION}:focus:${method}:inn:${inn}:skip:${skip}`;
  }

  page(key: PageKey, stats?: OperationStats): Promise<Fetched<FocusPage<unknown>>> {
    let fetch = this.fetches.get(key.method);
    if (!fetch) {
      fetch = new KeyedFetch<FocusPage<unknown>>(key.method, this.deps);
      this.fetches.set(key.method, fetch);
    }
    return fetch.get(this.cacheKey(key), this.ttlMs, () => this.client.getPage(key.method, key.inn, key.skip), stats);
  }
}

export type PageLoader = DataLoader<PageKey, Fetched<FocusPage<unknown>>, string>;

/** Per-request memo of pages, so fields that read the same page in one operation share it. */
export function createPageLoader(pages: FocusPages, stats?: OperationStats): PageLoader {
  return new DataLoader((keys: readonly PageKey[]) => Promise.all(keys.map((key) => pages.page(key, stats).catch((error: Error) => error))), {
    cacheKeyFn: (key) => `${key.method}:${key.inn}:${key.skip}`,
  });
}
