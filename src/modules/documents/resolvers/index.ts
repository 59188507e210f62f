import type { Resolvers } from '../../../generated/graphql.ts';
import { Company } from './Company.ts';
import { Document } from './Document.ts';
import { ExpressReport } from './ExpressReport.ts';

export const documentResolvers: Resolvers = {
  Company,
  ExpressReport,
  Document,
};
