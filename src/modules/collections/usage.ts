import { CACHE_KEY_VERSION } from '../../cache/store.ts';
import { KeyedFetch, type KeyedFetchDeps } from '../../cache/keyed-fetch.ts';
import type { FocusClient } from '../kontur-focus/vendor/client.ts';
import type { FocusStat } from '../kontur-focus/vendor/schemas.ts';

/** Key usage changes with every call: kept for a minute, enough to absorb a dashboard refreshing. */
const USAGE_TTL_MS = 60_000;

export class UsageService {
  private readonly fetch: KeyedFetch<FocusStat[]>;

  constructor(
    private readonly client: FocusClient,
    deps: KeyedFetchDeps,
  ) {
    this.fetch = new KeyedFetch<FocusStat[]>('stat', deps);
  }

  async current(): Promise<FocusStat[]> {
    return (await this.fetch.get(`${CACHE_KEY_VERSION}:focus:stat`, USAGE_TTL_MS, () => this.client.getUsage())).value;
  }
}
