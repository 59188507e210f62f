import type { CompanyResolvers } from '../../../generated/graphql.ts';
import type { FocusFsspItem, FocusPage, FocusPagedMethod, FocusPurchase } from '../../kontur-focus/index.ts';
import type { GraphQLContext } from '../../../common/context.ts';
import { recordOf, type CompanyRef } from '../../company/index.ts';
import { recordForRegistration } from '../../../domain/company.ts';
import { focusListConnection } from '../connection.ts';
import { normalizePhone } from '../mapping.ts';

/** The pages of this company's own registration (matched by OGRN), as plain item lists. */
function pageFetcher<T>(ctx: GraphQLContext, method: FocusPagedMethod, company: CompanyRef) {
  return async (skip: number): Promise<T[]> => {
    const page = (await ctx.focus.pages.load({ method, inn: company.inn, skip })).value as FocusPage<T>;
    return recordForRegistration(page.lists, company.ogrn)?.items ?? [];
  };
}

/** Company fields from the paged methods and contacts. */
export const Company: CompanyResolvers = {
  fsspProceedings: (company, { first, after }, ctx) =>
    focusListConnection<FocusFsspItem>('fssp', { first, after }, pageFetcher(ctx, 'fssp', company)),

  purchases: (company, { role, first, after }, ctx) => {
    const method = role === 'PARTICIPANT' ? 'govPurchasesOfParticipant' : 'govPurchasesOfCustomer';
    return focusListConnection<FocusPurchase>(method, { first, after }, pageFetcher(ctx, method, company));
  },

  async contactPhones(company, _args, ctx) {
    const record = await recordOf(company, ctx.focus.contacts);
    return [...new Set((record?.contactPhones?.phones ?? []).map(normalizePhone))];
  },
};
