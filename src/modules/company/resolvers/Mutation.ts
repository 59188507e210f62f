import type DataLoader from 'dataloader';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { loadCompany } from '../lookup.ts';
import { assertValidInns } from '../validation.ts';

export const Mutation: MutationResolvers = {
  async refreshCompany(_parent, { inn }, ctx) {
    assertValidInns([inn], 'inn');
    const fresh = await ctx.companies.refresh(inn, ctx.stats);
    // The answer reads exactly what was just fetched, even if the cache store dropped the write.
    for (const [method, entry] of fresh) {
      const loader = ctx.loaders[method] as DataLoader<string, typeof entry>;
      loader.clear(inn).prime(inn, entry);
    }
    return loadCompany(inn, ctx);
  },
};
