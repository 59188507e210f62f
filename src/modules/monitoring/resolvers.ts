import { checkWindow, collectEdges, connectionOf, type Connection } from '../../common/relay.ts';
import { badUserInput } from '../../errors.ts';
import type { MutationResolvers, QueryResolvers, Resolvers, WatchedCompany } from '../../generated/graphql.ts';
import { assertInnCount, assertValidInns, companyFromEntry } from '../company/index.ts';
import { MAX_CHANGES_PER_COMPANY } from './changes.ts';

/** The monitored list's window: 100 entries by default, up to 1000; no list is a million long (a forged cursor costs nothing). */
const WATCHED_WINDOW = { defaultFirst: 100, maxFirst: 1_000, maxPosition: 1_000_000 };

const Mutation: MutationResolvers = {
  async watchCompanies(_parent, { inns }, ctx) {
    assertInnCount(inns, 'inns');
    assertValidInns(inns, 'inns');
    return ctx.monitoring.watch(inns);
  },
  // Authorised like watchCompanies: by the router (ROUTER_SECRET); no scope of its own.
  async unwatchCompanies(_parent, { inns }, ctx) {
    assertInnCount(inns, 'inns');
    assertValidInns(inns, 'inns');
    return ctx.monitoring.unwatch(inns);
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

  async watchedCompanies(_parent, { first, after }, ctx) {
    const window = checkWindow('watchedCompanies', { first, after }, WATCHED_WINDOW);
    const list = await ctx.monitoring.watchedList();
    const edges: Connection<WatchedCompany>['edges'] = [];
    collectEdges(edges, 'watchedCompanies', window, 0, list, (pair) => ({ inn: pair.inn ?? null, ogrn: pair.ogrn ?? null }));
    return connectionOf(edges, window, list.length, window.start + window.first < list.length);
  },

  async companyChanges(_parent, { inn, since, first }, ctx) {
    assertValidInns([inn], 'inn');
    const limit = first ?? 100;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_CHANGES_PER_COMPANY)
      throw badUserInput(`"first" must be between 0 and ${MAX_CHANGES_PER_COMPANY}`, { argument: 'first' });
    return ctx.monitoringChanges.list(inn, since ?? undefined, limit);
  },
};

export const resolvers: Resolvers = { Mutation, Query };
