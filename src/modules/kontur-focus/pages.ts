import DataLoader from 'dataloader';
import { CachedFetch, type Fetched } from '../../cache/cached-fetch.ts';
import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { VendorGate } from '../../loaders/vendor-gate.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { FocusClient, FocusPage } from './vendor/client.ts';
import type { FocusPagedMethod } from './vendor/methods.ts';

/** What single-key cached fetches over Kontur.Focus (pages, documents, usage) are built on. */
export interface FocusFetchDeps {
  cache: CacheStore;
  /** The vendor's slots, shared with the batchers (FOCUS_MAX_CONCURRENCY, FOCUS_MAX_QUEUE). */
  gate: VendorGate;
  metrics: Metrics;
  now?: () => number;
}

/** One value per identifier, one Kontur.Focus call each, through the one cached fetch and the vendor's gate. */
export function focusSingleFetch<V>(
  label: string,
  deps: FocusFetchDeps,
  spec: { key(id: string): string; fetch(id: string): Promise<V>; ttlOf(value: V): number; isValue?(value: unknown): value is V },
): CachedFetch<V> {
  return new CachedFetch<V>({
    label,
    vendor: 'kontur-focus',
    cache: deps.cache,
    metrics: deps.metrics,
    ...(deps.now ? { now: deps.now } : {}),
    gate: deps.gate,
    key: (id) => spec.key(id),
    fetch: async ([id]) => new Map([[id!, await spec.fetch(id!)]]),
    ttlOf: (value) => spec.ttlOf(value),
    ...(spec.isValue ? { isValue: (value: unknown): value is V => spec.isValue!(value) } : {}),
  });
}

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
  private readonly fetches = new Map<FocusPagedMethod, CachedFetch<FocusPage<unknown>>>();

  constructor(
    private readonly client: FocusClient,
    private readonly deps: FocusFetchDeps,
    private readonly ttlMs: number,
  ) {}

  page({ method, inn, skip }: PageKey, stats?: OperationStats): Promise<Fetched<FocusPage<unknown>>> {
    return this.fetchOf(method).get(`${inn}:${skip}`, { maxAgeMs: this.ttlMs, stats });
  }

  private fetchOf(method: FocusPagedMethod): CachedFetch<FocusPage<unknown>> {
    let fetch = this.fetches.get(method);
    if (!fetch) {
      fetch = focusSingleFetch<FocusPage<unknown>>(method, this.deps, {
        key: (id) => `${CACHE_KEY_VERSION}:focus:${method}:inn:${id.replace(':', ':skip:')}`,
        fetch: (id) => {
          const [inn, skip] = id.split(':') as [string, string];
          return this.client.getPage(method, inn, Number(skip));
        },
        ttlOf: () => this.ttlMs,
        isValue: (value): value is FocusPage<unknown> => Array.isArray((value as FocusPage<unknown> | undefined)?.lists),
      });
      this.fetches.set(method, fetch);
    }
    return fetch;
  }
}

export type PageLoader = DataLoader<PageKey, Fetched<FocusPage<unknown>>, string>;

/** Per-request memo of pages, so fields that read the same page in one operation share it. */
export function createPageLoader(pages: FocusPages, stats?: OperationStats): PageLoader {
  return new DataLoader(
    (keys: readonly PageKey[]) => Promise.all(keys.map((key) => pages.page(key, stats).catch((error: Error) => error))),
    {
      cacheKeyFn: (key) => `${key.method}:${key.inn}:${key.skip}`,
    },
  );
}
