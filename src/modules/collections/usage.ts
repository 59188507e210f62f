import type { CachedFetch } from '../../cache/cached-fetch.ts';
import { CACHE_KEY_VERSION } from '../../cache/store.ts';
import { type FocusClient, type FocusFetchDeps, focusSingleFetch, type FocusStat } from '../kontur-focus/index.ts';

/** Key usage changes with every call: kept for a minute, enough to absorb a dashboard refreshing. */
const USAGE_TTL_MS = 60_000;

export class UsageService {
  private readonly fetch: CachedFetch<FocusStat[]>;

  constructor(client: FocusClient, deps: FocusFetchDeps) {
    this.fetch = focusSingleFetch<FocusStat[]>('stat', deps, {
      key: () => `${CACHE_KEY_VERSION}:focus:stat`,
      fetch: () => client.getUsage(),
      ttlOf: () => USAGE_TTL_MS,
      isValue: (value): value is FocusStat[] => Array.isArray(value),
    });
  }

  async current(): Promise<FocusStat[]> {
    return (await this.fetch.get('stat', { maxAgeMs: USAGE_TTL_MS })).value;
  }
}
