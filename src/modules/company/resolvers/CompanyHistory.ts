import type { CompanyHistoryResolvers } from '../../../generated/graphql.ts';
import { recordOf } from '../lookup.ts';

/** Former values from the registration (req, mapped when fetched); former founders and capitals from egrDetails. */
export const CompanyHistory: CompanyHistoryResolvers = {
  names: ({ record }) => record.history.names,
  legalAddresses: ({ record }) => record.history.legalAddresses,
  heads: ({ record }) => record.history.heads,
  kpps: ({ record }) => record.history.kpps,
  async founders({ company }, _args, ctx) {
    const ul = (await recordOf(company, ctx.focus.egrDetails))?.UL;
    const former = ul?.history;
    if (!ul) return null;
    // The Founders type reads the lists and the capital (for percents) of an egrDetails record: the former ones here.
    return {
      ...ul,
      foundersFL: former?.foundersFL ?? [],
      foundersUL: former?.foundersUL ?? [],
      foundersForeign: former?.foundersForeign ?? [],
    };
  },
  async statedCapitals({ company }, _args, ctx) {
    const former = (await recordOf(company, ctx.focus.egrDetails))?.UL?.history?.statedCapitals ?? [];
    return former.map((capital) => ({ amount: capital.sum ?? null, date: capital.date ?? null }));
  },
};
