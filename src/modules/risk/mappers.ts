/** What the resolvers of each GraphQL type receive (codegen maps type `X` to `XMapper`). */
export type { RiskPolicyModel as RiskPolicyMapper } from './policy.ts';
export type { ScreeningOutcome as ScreeningResultMapper } from './screening.ts';
