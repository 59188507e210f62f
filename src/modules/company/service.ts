import type { CacheStore } from '../../cache/store.ts';
import { VendorError } from '../../errors.ts';
import type { VendorEntry } from '../../loaders/focus-batcher.ts';
import type { FocusBatchers } from '../../loaders/focus-loaders.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';

import { PER_INN_METHODS, type PerInnMethod } from './vendor-methods.ts';

export type { PerInnMethod };

/** Process-wide operations on companies that are not plain loads. */
export class CompanyService {
  constructor(
    private readonly batchers: FocusBatchers,
    private readonly cache: CacheStore,
  ) {}

  /**
   * Refetches now every method cached for this INN (req always, since the answer needs it), in one call per method.
   * Answers with the fresh entries, for the mutation to hand to its own loaders.
   */
  async refresh(inn: string, stats?: OperationStats): Promise<Map<PerInnMethod, VendorEntry<unknown>>> {
    const cached = await this.cache.getMany(PER_INN_METHODS.map((method) => this.batchers[method].cacheKey(inn)));
    const methods = PER_INN_METHODS.filter((method, index) => method === 'req' || cached[index] !== undefined);
    const results = await Promise.all(methods.map((method) => this.batchers[method].load([inn], 0, stats)));
    const fresh = new Map<PerInnMethod, VendorEntry<unknown>>();
    methods.forEach((method, index) => {
      const [result] = results[index]!;
      if (result instanceof Error) throw result;
      // "Update data from Focus" must not pass older cached data off as fresh.
      if (result!.stale) {
        throw new VendorError('VENDOR_UNAVAILABLE', 'Kontur.Focus is unavailable; the data could not be refreshed (cached data kept)', {
          vendor: 'kontur-focus',
          method,
        });
      }
      fresh.set(method, result!);
    });
    return fresh;
  }
}
