import type { CompanyResolvers } from '../../../generated/graphql.ts';

/** Document fields of Company: a reference only; nothing is fetched until the link is followed. */
export const Company: CompanyResolvers = {
  excerpt: (company) => ({ kind: 'EXCERPT', inn: company.inn }),
  financialAnalysis: (company) => ({ kind: 'FINANCIAL_ANALYSIS', inn: company.inn }),
};
