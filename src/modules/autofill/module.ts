import express from 'express';
import { defineModule } from '../contract.ts';
import { autofillConfig, autofillEnv, type AutofillConfig } from './config.ts';
import { AutofillMetrics } from './metrics.ts';
import { autofillRoutes, type AutofillRouteServices } from './routes.ts';

declare module '../contract.ts' {
  interface ModuleConfigs {
    autofill: AutofillConfig;
  }
  interface ModuleServices {
    /** undefined with AUTOFILL_ENABLED=false: no route is mounted. */
    autofill: AutofillRouteServices | undefined;
  }
}

/**
 * A website's registration form: a public INN lookup (public registry requisites only) for anonymous visitors, limited
 * per client and by a daily budget of vendor calls, the drop-in widget that calls it, a demo page, and the screening
 * the site's backend stores with its user. Reads companies through the graph's requisites loaders and cache.
 */
export const autofillModule = defineModule({
  name: 'autofill',
  needs: ['company'],
  env: autofillEnv,
  config: autofillConfig,
  services: ({ config, metrics }) =>
    config.autofill.enabled ? { config: config.autofill, metrics: new AutofillMetrics(metrics) } : undefined,
  routes: (services, core, runtime) => (services ? autofillRoutes(services, core, runtime) : express.Router()),
});
