import type { QueryResolvers } from '../../../generated/graphql.ts';
import { moscowIso } from '../vendor/time.ts';
import type { JumpPaymentQuery } from '../vendor/schemas.ts';
import { paymentStatusId } from '../mapping.ts';
import { checkWindow, pagedConnection } from '../paging.ts';
import { checkCustomerPaymentId, parseId } from '../validation.ts';
import type { GraphQLContext } from '../../../common/context.ts';
import type { PaymentConnectionModel } from '../model.ts';

/** A page window of payouts (any list: all, one contractor's), read from the vendor and stored for the etiquette. */
export async function paymentsConnection(
  ctx: GraphQLContext,
  list: string,
  query: JumpPaymentQuery,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<PaymentConnectionModel> {
  const window = checkWindow(list, first, after);
  const { api, stats } = ctx.payouts;
  return pagedConnection(
    list,
    window,
    (page, perPage) => api.payments(query, page, perPage, stats),
    (model) => model,
  );
}

/** The vendor's created_at bounds: ISO date-time with an offset, in Moscow time like its own timestamps. */
function vendorTime(value: string): string {
  return moscowIso(Date.parse(value));
}

export const Query: QueryResolvers = {
  async contractor(_parent, { id }, ctx) {
    const contractorId = parseId(id, 'id');
    const card = await ctx.payouts.contractors.load(contractorId);
    return card ? { id: contractorId, card } : null;
  },

  async contractors(_parent, { first, after }, ctx) {
    const window = checkWindow('contractors', first, after);
    const { api, contractors, stats } = ctx.payouts;
    return pagedConnection(
      'contractors',
      window,
      async (page, perPage) => {
        // The cards answer every field, and prime this operation's loader (the api keeps them in the shared cache).
        const result = await api.contractors(page, perPage, stats);
        for (const card of result.items) contractors.prime(card.id, card);
        return result;
      },
      (card) => ({ id: card.id, card }),
    );
  },

  async payment(_parent, { id }, ctx) {
    return ctx.payouts.payments.get(parseId(id, 'id'), ctx.payouts.stats);
  },

  async paymentByCustomerId(_parent, { customerPaymentId }, ctx) {
    return ctx.payouts.payments.byCustomerId(checkCustomerPaymentId(customerPaymentId), ctx.payouts.stats);
  },

  async payments(_parent, { first, after, filter }, ctx) {
    const query: JumpPaymentQuery = {
      ...(filter?.status ? { status: paymentStatusId(filter.status) } : {}),
      ...(filter?.contractorIds?.length ? { contractorIds: filter.contractorIds.map((id) => parseId(id, 'filter.contractorIds')) } : {}),
      ...(filter?.createdFrom ? { createdFrom: vendorTime(filter.createdFrom) } : {}),
      ...(filter?.createdTo ? { createdTo: vendorTime(filter.createdTo) } : {}),
    };
    return paymentsConnection(ctx, 'payments', query, first, after);
  },
};
