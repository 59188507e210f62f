import type { FocusQuotaResolvers, QueryResolvers } from '../../../generated/graphql.ts';
import { limitType } from '../mapping.ts';

export const Query: QueryResolvers = {
  focusUsage: (_parent, _args, ctx) => ctx.usage.current(),
};

export const FocusQuota: FocusQuotaResolvers = {
  method: (stat) => stat.methodName ?? 'unknown',
  limit: (stat) => stat.limit ?? null,
  limitType: (stat) => limitType(stat.limitType),
  spent: (stat) => stat.spent ?? null,
  remaining: (stat) => (stat.limit !== undefined && stat.spent !== undefined ? Math.max(0, stat.limit - stat.spent) : null),
  periodStart: (stat) => stat.periodStartDate?.slice(0, 10) ?? null,
  periodEnd: (stat) => stat.periodEndDate?.slice(0, 10) ?? null,
};
