import type { CompanyResolvers } from '../../../generated/graphql.ts';
import type { FocusPagedMethod } from '../../../vendors/kontur-focus/schemas.ts';
import type { FocusFsspItem, FocusPurchase } from '../../../vendors/kontur-focus/schemas.ts';
import type { GraphQLContext } from '../../../context.ts';
import type { FocusPage } from '../../../vendors/kontur-focus/client.ts';
import { recordOf } from '../../company/lookup.ts';
import { pagedConnection } from '../connection.ts';
import { normalizePhone } from '../mapping.ts';

function pageFetcher<T>(ctx: GraphQLContext, method: FocusPagedMethod, inn: string) {
  return async (skip: number): Promise<FocusPage<T>> => (await ctx.loaders.pages.load({ method, inn, skip })).value as FocusPage<T>;
}

/** Company fields from the paged methods and contacts. */
export const Company: CompanyResolvers = {
  fsspProceedings: (company, { first, after }, ctx) =>
    pagedConnection<FocusFsspItem>('fssp', { first, after }, pageFetcher(ctx, 'fssp', company.inn)),

  purchases: (company, { role, first, after }, ctx) => {
    const method = role === 'PARTICIPANT' ? 'govPurchasesOfParticipant' : 'govPurchasesOfCustomer';
    return pagedConnection<FocusPurchase>(method, { first, after }, pageFetcher(ctx, method, company.inn));
  },

  async contactPhones(company, _args, ctx) {
    const record = await recordOf(company, ctx.loaders.contacts);
    return [...new Set((record?.contactPhones?.phones ?? []).map(normalizePhone))];
  },
};
