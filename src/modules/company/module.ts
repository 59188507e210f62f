import type { RequisitesLoaders } from '../../loaders/requisites.ts';
import { PER_INN_METHODS } from '../kontur-focus/index.ts';
import { defineModule } from '../contract.ts';
import { companyConfig, companyEnv, type CompanyConfig } from './config.ts';
import { companyResolvers } from './resolvers/index.ts';
import { CompanyService } from './service.ts';

declare module '../contract.ts' {
  interface ModuleConfigs {
    company: CompanyConfig;
  }
  interface ModuleServices {
    company: CompanyService;
  }
}

declare module '../../common/context.ts' {
  interface GraphQLContext {
    /**
     * Registrations of companies, mapped to the graph's shape, from the requisites source this deployment has:
     * Kontur.Focus when configured, else T-Bank when configured, else Kontur.Focus's "not configured" answers.
     */
    requisites: RequisitesLoaders;
    companies: CompanyService;
  }
}

/**
 * The Company entity: registry requisites and details, analytics, licences, financials, refreshCompany. Reads
 * Kontur.Focus's loaders, and T-Bank's registrations when Kontur.Focus is not configured.
 */
export const companyModule = defineModule({
  name: 'company',
  needs: ['focus', 'tbank'],
  env: companyEnv,
  config: (env) => companyConfig(env),
  services: ({ cache, config }, { focus }) => new CompanyService(focus.batchers, cache, config.company.refreshMinIntervalMs),
  context(companies, { context }) {
    // The requisites source is chosen here, explicitly: one interface, two implementations (loaders/requisites.ts).
    const requisites = !context.focus.configured && context.tbank ? context.tbank.requisites : context.focus.requisites;
    return { requisites, companies };
  },
  schema: ['company.graphql', 'analytics.graphql'],
  resolvers: companyResolvers,
  costs: {
    roots: {
      company: { companies: { one: true }, byOgrn: { argument: 'ogrn', method: 'req:ogrn' } },
      companies: { companies: { listArgument: 'inns' } },
      _entities: { companies: { listArgument: 'representations' } },
      // Every per-INN method may be refetched, and aliases run one after another (a mutation).
      refreshCompany: { companies: { one: true }, methods: PER_INN_METHODS, serial: { argument: 'inn' } },
    },
  },
});
