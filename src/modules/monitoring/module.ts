import { optionalDuration, type EnvOf } from '../../config/env.ts';
import { defineModule } from '../contract.ts';
import { MonitoringJob } from './job.ts';
import { resolvers } from './resolvers.ts';
import { MonitoringService } from './service.ts';

const monitoringEnv = {
  /** When set (e.g. 1h), a background job pulls Kontur.Focus change lists and evicts changed companies from the cache. */
  FOCUS_MONITORING_INTERVAL: optionalDuration(),
};

interface MonitoringServices {
  service: MonitoringService;
  /** undefined unless FOCUS_MONITORING_INTERVAL is set. */
  job: MonitoringJob | undefined;
}

declare module '../contract.ts' {
  interface ModuleConfigs {
    monitoring: { intervalMs: number | undefined };
  }
  interface ModuleServices {
    monitoring: MonitoringServices;
  }
}

declare module '../../common/context.ts' {
  interface GraphQLContext {
    monitoring: MonitoringService;
  }
}

/** Kontur.Focus monitoring: the watched list, the daily change lists, and the job that evicts changed companies. */
export const monitoringModule = defineModule({
  name: 'monitoring',
  needs: ['focus', 'documents'],
  env: monitoringEnv,
  config: (env: EnvOf<typeof monitoringEnv>) => ({ intervalMs: env.FOCUS_MONITORING_INTERVAL }),
  services({ config, cache, logger, now }, { focus, documents }) {
    const service = new MonitoringService(focus.client, focus.batchers, cache, (inn) => documents.cacheKeys(inn));
    const intervalMs = config.monitoring.intervalMs;
    return { service, job: intervalMs ? new MonitoringJob(service, cache, logger, { intervalMs, now }) : undefined };
  },
  context: ({ service }) => ({ monitoring: service }),
  schema: ['monitoring.graphql'],
  resolvers,
  costs: {
    // The change list's length is unknown before the call: counted as the most a query may ask for.
    roots: { changedCompanies: { companies: { fixed: 1000 } } },
  },
  start: ({ job }) => job?.start(),
  close: async ({ job }) => job?.stop(),
});
