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
  const { service, stats } = ctx.payouts;
  const models = new Map<number, Awaited<ReturnType<typeof service.payments.putMany>>[number]>();
  const connection = await pagedConnection(
    list,
    window,
    async (page, perPage) => {
      if (stats) stats.vendorCalls += 1;
      const result = await service.limit(() => service.client.listPayments(query, page, perPage));
      for (const model of await service.payments.putMany(result.items)) models.set(model.value.id, model);
      return result;
    },
    (payment) => payment.id,
  );
  return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: models.get(edge.node)! })) };
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
    const { service, stats } = ctx.payouts;
    return pagedConnection(
      'contractors',
      window,
      async (page, perPage) => {
        if (stats) stats.vendorCalls += 1;
        const result = await service.limit(() => service.client.listContractors(page, perPage));
        // The cards answer every field, and prime this operation's loader and the shared cache.
        for (const card of result.items) ctx.payouts.contractors.prime(card.id, card);
        await service.rememberContractors(result.items);
        return result;
      },
      (card) => ({ id: card.id, card }),
    );
  },

  async payment(_parent, { id }, ctx) {
    return ctx.payouts.service.payments.get(parseId(id, 'id'), ctx.payouts.stats);
  },

  async paymentByCustomerId(_parent, { customerPaymentId }, ctx) {
    return ctx.payouts.service.paymentByCustomerId(checkCustomerPaymentId(customerPaymentId), ctx.payouts.stats);
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
