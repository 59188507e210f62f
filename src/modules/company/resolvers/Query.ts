import { badUserInput } from '../../../errors.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import { companyFromEntry, loadCompany, selectsStatus } from '../lookup.ts';
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
    const forStatus = selectsStatus(info);
    const entries = await (forStatus ? ctx.requisites.reqForStatus : ctx.requisites.req).loadMany(inns);
    // A failed vendor call nulls only the companies it should have answered, each with its own error.
    return entries.map((entry, index) =>
      entry instanceof Error ? Promise.reject(entry) : companyFromEntry(inns[index]!, entry, forStatus),
    );
  },
};
