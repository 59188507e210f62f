import { badUserInput } from '../../../errors.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import { loadCompanies, loadCompany, selectsStatus } from '../lookup.ts';
import { assertInnCount, assertValidInns, assertValidOgrn } from '../validation.ts';

export const Query: QueryResolvers = {
  async company(_parent, { inn, ogrn }, ctx, info) {
    if ((inn == null) === (ogrn == null)) {
      throw badUserInput('Give exactly one of "inn" or "ogrn"');
    }
    if (inn != null) {
      assertValidInns([inn], 'inn');
      return loadCompany(inn, ctx, { forStatus: selectsStatus(info) });
    }
    assertValidOgrn(ogrn!, 'ogrn');
    const entry = await ctx.requisites.reqByOgrn.load(ogrn!);
    const record = entry.registrations[0];
    return record?.inn ? { inn: record.inn, ogrn: ogrn! } : null;
  },

  async companies(_parent, { inns }, ctx, info) {
    assertInnCount(inns, 'inns');
    assertValidInns(inns, 'inns');
    const companies = await loadCompanies(inns, ctx, { forStatus: selectsStatus(info) });
    // A failed vendor call nulls only the companies it should have answered, each with its own error.
    return companies.map((company) => (company instanceof Error ? Promise.reject(company) : company));
  },
};
