import type { GraphQLResolveInfo } from 'graphql';
import { fieldsOf } from '../../common/ast.ts';
import type {
  CompanyResolvers,
  QueryResolvers,
  Resolvers,
  RiskPolicyResolvers,
  ScreeningResultResolvers,
} from '../../generated/graphql.ts';
import { assertInnCount, assertValidInns, companyFromEntry } from '../company/index.ts';
import { RISK_FACTOR_CODES } from './policy.ts';
import { riskProfileOf, screen } from './screening.ts';

/**
 * T-Bank allows about 10 calls a minute, so it joins a risk profile only for a single company asked for by `company`
 * or `refreshCompany` (a CRM card, a deal check); lists and entity batches are profiled from Kontur.Focus alone.
 */
function singleCompanyOperation(info: GraphQLResolveInfo): boolean {
  let step = info.path;
  while (step.prev) step = step.prev;
  const fragments = new Map(Object.entries(info.fragments));
  const root = fieldsOf(info.operation.selectionSet, fragments).find((field) => (field.alias ?? field.name).value === step.key);
  return root !== undefined && ['company', 'refreshCompany'].includes(root.name.value);
}

const Company: CompanyResolvers = {
  risk: (company, _args, ctx, info) => riskProfileOf(company, ctx, { withTbank: singleCompanyOperation(info) }),
};

const Query: QueryResolvers = {
  riskPolicy: (_parent, _args, ctx) => ctx.riskPolicy,

  async screenCounterparties(_parent, { inns }, ctx) {
    assertInnCount(inns, 'inns');
    assertValidInns(inns, 'inns');
    const entries = await ctx.requisites.req.loadMany(inns);
    return Promise.all(
      inns.map(async (inn, index) => {
        const entry = entries[index]!;
        if (entry instanceof Error) {
          const code = (entry as { extensions?: { code?: string } }).extensions?.code ?? 'INTERNAL_SERVER_ERROR';
          return { inn, company: null, statusCode: null, profile: null, error: code };
        }
        return screen(inn, companyFromEntry(inn, entry), ctx);
      }),
    );
  },
};

const RiskPolicy: RiskPolicyResolvers = {
  source: (policy) => policy.source,
  reviewThreshold: (policy) => policy.reviewThreshold,
  levels: (policy) => policy.levels,
  criticalFactors: (policy) => policy.criticalFactors,
  factors: (policy) =>
    RISK_FACTOR_CODES.map((code) => ({
      code,
      enabled: policy.weightOf(code) > 0,
      weight: policy.weightOf(code),
      critical: policy.criticalFactors.includes(code),
    })),
  thresholds: (policy) => policy.thresholds,
};

const ScreeningResult: ScreeningResultResolvers = {
  inn: (outcome) => outcome.inn,
  found: (outcome) => (outcome.company ? true : outcome.error === 'NOT_FOUND' ? false : null),
  company: (outcome) => outcome.company,
  statusCode: (outcome) => outcome.statusCode,
  riskLevel: (outcome) => outcome.profile?.level ?? null,
  requiresReview: (outcome) => outcome.profile?.requiresReview ?? null,
  factorCodes: (outcome) => outcome.profile?.factors.map((factor) => factor.code) ?? [],
  error: (outcome) => outcome.error,
};

export const resolvers: Resolvers = { Company, Query, RiskPolicy, ScreeningResult };
