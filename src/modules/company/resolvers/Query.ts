import { badUserInput } from '../../../errors.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import { companyFromEntry, loadCompany } from '../lookup.ts';
import { assertInnCount, assertValidInns, assertValidOgrn } from '../validation.ts';

export const Query: QueryResolvers = {
  async company(_parent, { inn, ogrn }, ctx) {
    if ((inn == null) === (ogrn == null)) {
      throw badUserInput('Give exactly one of "inn" or "ogrn"');
    }
    if (inn != null) {
      assertValidInns([inn], 'inn');
      return loadCompany(inn, ctx);
    }
    assertValidOgrn(ogrn!, 'ogrn');
    const entry = await ctx.requisites.reqByOgrn.load(ogrn!);
    const record = entry.registrations[0];
    return record?.inn ? { inn: record.inn, ogrn: ogrn! } : null;
  },

  async companies(_parent, { inns }, ctx) {
    assertInnCount(inns, 'inns');
    assertValidInns(inns, 'inns');
    const entries = await ctx.requisites.req.loadMany(inns);
    // A failed vendor call nulls only the companies it should have answered, each with its own error.
    return entries.map((entry, index) => (entry instanceof Error ? Promise.reject(entry) : companyFromEntry(inns[index]!, entry)));
  },
};
