import type { MutationResolvers } from '../../../generated/graphql.ts';
import { type FocusEntry, requisitesEntryOf } from '../../kontur-focus/index.ts';
import { loadCompany } from '../lookup.ts';
import { assertValidInns } from '../validation.ts';

export const Mutation: MutationResolvers = {
  async refreshCompany(_parent, { inn }, ctx) {
    assertValidInns([inn], 'inn');
    const fresh = await ctx.companies.refresh(inn, ctx.stats);
    // The answer reads exactly what was just fetched, even if the cache store dropped the write.
    for (const [method, entry] of fresh) {
      if (method === 'req') {
        const requisites = requisitesEntryOf(entry as FocusEntry<'req'>);
        ctx.requisites.req.clear(inn).prime(inn, requisites);
        ctx.requisites.reqForStatus.clear(inn).prime(inn, requisites);
      } else {
        (ctx.focus[method] as { clear(key: string): { prime(key: string, value: unknown): unknown } }).clear(inn).prime(inn, entry);
      }
    }
    return loadCompany(inn, ctx);
  },
};
