import type { MutationResolvers, QueryResolvers, Resolvers } from '../../generated/graphql.ts';
import { assertInnCount, assertValidInns, companyFromEntry } from '../company/index.ts';

const Mutation: MutationResolvers = {
  async watchCompanies(_parent, { inns }, ctx) {
    assertInnCount(inns, 'inns');
    assertValidInns(inns, 'inns');
    return ctx.monitoring.watch(inns);
  },
};

const Query: QueryResolvers = {
  async changedCompanies(_parent, { date, scope }, ctx) {
    const inns = await ctx.monitoring.changedInns(scope === 'REGISTRY_DETAILS' ? 'egrDetails' : 'req', date);
    const entries = await ctx.requisites.req.loadMany(inns);
    // A failed lookup nulls only its own item (with its error); INNs the registry no longer knows are left out.
    const companies = entries.map((entry, index) => (entry instanceof Error ? entry : companyFromEntry(inns[index]!, entry)));
    return companies.filter((company) => company !== null).map((company) => (company instanceof Error ? Promise.reject(company) : company));
  },
};

export const resolvers: Resolvers = { Mutation, Query };
