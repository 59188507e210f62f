import type { MutationResolvers, QueryResolvers, Resolvers } from '../../generated/graphql.ts';
import type { CompanyRef } from '../company/model.ts';
import { loadCompany } from '../company/lookup.ts';
import { assertInnCount, assertValidInns } from '../company/validation.ts';

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
    const companies = await Promise.all(inns.map((inn) => loadCompany(inn, ctx)));
    return companies.filter((company): company is CompanyRef => company !== null);
  },
};

export const monitoringResolvers: Resolvers = { Mutation, Query };
