import type { MutationResolvers } from '../../../generated/graphql.ts';
import { loadCompany } from '../lookup.ts';
import { assertValidInns } from '../validation.ts';

export const Mutation: MutationResolvers = {
  async refreshCompany(_parent, { inn }, ctx) {
    assertValidInns([inn], 'inn');
    await ctx.companies.refresh(inn);
    return loadCompany(inn, ctx);
  },
};
