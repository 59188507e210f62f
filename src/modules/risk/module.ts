import { optionalString, type EnvOf } from '../../config/env.ts';
import { defineModule } from '../contract.ts';
import { loadRiskPolicy, type RiskPolicy } from './policy.ts';
import { resolvers } from './resolvers.ts';

const riskEnv = {
  /** Risk policy file (JSON or YAML); unset = the documented defaults. A bad policy stops the start. */
  RISK_POLICY_PATH: optionalString(),
};

declare module '../contract.ts' {
  interface ModuleConfigs {
    risk: { policy: RiskPolicy };
  }
  interface ModuleServices {
    risk: RiskPolicy;
  }
}

declare module '../../common/context.ts' {
  interface GraphQLContext {
    riskPolicy: RiskPolicy;
  }
}

/** Explainable risk profiles of companies and bulk screening, under a policy read at start. */
export const riskModule = defineModule({
  name: 'risk',
  needs: ['company'],
  env: riskEnv,
  config: (env: EnvOf<typeof riskEnv>) => ({ policy: loadRiskPolicy(env.RISK_POLICY_PATH) }),
  services: ({ config }) => config.risk.policy,
  context: (riskPolicy) => ({ riskPolicy }),
  schema: ['risk.graphql'],
  resolvers,
  costs: {
    // Screening reads req and analytics for every INN, plus whatever its `company` selection asks.
    roots: { screenCounterparties: { companies: { listArgument: 'inns' }, methods: ['analytics'], selection: { child: 'company' } } },
    companyFields: { risk: ['req', 'analytics'] },
  },
});
