import type { CacheStore } from '../../cache/store.ts';
import type { FocusBatchers } from '../../loaders/focus-loaders.ts';

/** The Focus methods whose data is cached per INN, and so refreshed by the "Update data from Focus" button. */
const PER_INN_METHODS = ['req', 'egrDetails', 'analytics', 'licences', 'buh'] as const;

/** Process-wide operations on companies that are not plain loads. */
export class CompanyService {
  constructor(
    private readonly batchers: FocusBatchers,
    private readonly cache: CacheStore,
  ) {}

  /**
   * Refetches now every method cached for this INN (req always, since the answer needs it), in one call per method.
   * Runs before the mutation's fields resolve, so they read the fresh entries.
   */
  async refresh(inn: string): Promise<void> {
    const cached = await this.cache.getMany(PER_INN_METHODS.map((method) => this.batchers[method].cacheKey(inn)));
    const methods = PER_INN_METHODS.filter((method, index) => method === 'req' || cached[index] !== undefined);
    const results = await Promise.all(methods.map((method) => this.batchers[method].load([inn], 0)));
    const failure = results.flat().find((result): result is Error => result instanceof Error);
    if (failure) throw failure;
  }
}
