import type { Resolvers } from '../../../generated/graphql.ts';
import { Company } from './Company.ts';
import { Document } from './Document.ts';
import { Excerpt } from './Excerpt.ts';
import { ExpressReport } from './ExpressReport.ts';

export const resolvers: Resolvers = {
  Company,
  ExpressReport,
  Document,
  Excerpt,
};
