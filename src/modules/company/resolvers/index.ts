import type { Resolvers } from '../../../generated/graphql.ts';
import { Company } from './Company.ts';
import { CompanyHistory } from './CompanyHistory.ts';
import { Analytics } from './Analytics.ts';
import { Activity, Authority, FounderCompany, FounderForeign, FounderPerson, Founders, RelatedCompany } from './details-types.ts';
import { FinancialYear } from './FinancialYear.ts';
import { Licence } from './Licence.ts';
import { Mutation } from './Mutation.ts';
import { Query } from './Query.ts';
import { ExpressReport, Registration } from './registry-types.ts';

export const companyResolvers: Resolvers = {
  Query,
  Mutation,
  Company,
  CompanyHistory,
  ExpressReport,
  Registration,
  Activity,
  Founders,
  FounderPerson,
  FounderCompany,
  FounderForeign,
  Authority,
  RelatedCompany,
  Analytics,
  Licence,
  FinancialYear,
};
