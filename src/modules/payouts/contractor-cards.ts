import { CachedFetch } from '../../cache/cached-fetch.ts';
import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { JumpCalls } from './jump-calls.ts';
import type { JumpContractor } from './vendor/schemas.ts';

export interface ContractorCardsDeps {
  cache: CacheStore;
  metrics: Metrics;
  now: () => number;
}

/**
 * Contractor cards through the one cached fetch: cached for CACHE_TTL_CONTRACTORS, concurrent askers share one
 * GET /contractors/{id}. A contractor the vendor does not have (null) is not cached: it may be created next minute.
 * Cards read or written by other calls (lists, upserts, updates) are remembered; a deleted one is forgotten.
 */
export class ContractorCards {
  private readonly fetch: CachedFetch<JumpContractor | null>;
  private readonly now: () => number;

  constructor(
    calls: JumpCalls,
    deps: ContractorCardsDeps,
    private readonly ttlMs: number,
  ) {
    this.now = deps.now;
    this.fetch = new CachedFetch<JumpContractor | null>({
      label: 'jump:contractors.get',
      vendor: 'jump-finance',
      cache: deps.cache,
      metrics: deps.metrics,
      now: deps.now,
      key: (id) => `${CACHE_KEY_VERSION}:jump:contractor:${id}`,
      fetch: async ([id]) => new Map([[id!, await calls.call((client) => client.getContractor(Number(id)))]]),
      ttlOf: (card) => (card ? ttlMs : 0),
      isValue: isCard,
    });
  }

  /** Each contractor's card, null when the vendor has none, or the error of the call that should have read it. */
  async getMany(ids: readonly number[], stats: OperationStats | undefined): Promise<(JumpContractor | null | Error)[]> {
    const entries = await this.fetch.getMany(
      ids.map((id) => String(id)),
      { maxAgeMs: this.ttlMs, stats },
    );
    return entries.map((entry) => (entry instanceof Error ? entry : entry.value));
  }

  /** Cards just read or written by another call, stamped now: their next reads cost nothing. */
  async remember(cards: readonly JumpContractor[]): Promise<void> {
    const at = this.now();
    await this.fetch.putMany(
      cards.map((card) => [String(card.id), card] as const),
      at,
    );
  }

  /** A deleted contractor: its next read asks the vendor. */
  async forget(id: number): Promise<void> {
    await this.fetch.forget([String(id)]);
  }
}

function isCard(value: unknown): value is JumpContractor {
  return typeof value === 'object' && value !== null && typeof (value as JumpContractor).id === 'number';
}
