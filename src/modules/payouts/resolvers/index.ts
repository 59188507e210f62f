import type { Resolvers } from '../../../generated/graphql.ts';
import { Contractor } from './Contractor.ts';
import { Mutation } from './Mutation.ts';
import { Payment } from './Payment.ts';
import { Query } from './Query.ts';

/** Contractors and payouts over Jump.Finance (schema/payouts.graphql); the Decimal scalar is added in src/graphql/schema.ts. */
export const payoutResolvers: Resolvers = {
  Query,
  Mutation,
  Contractor,
  Payment,
};
