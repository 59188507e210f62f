import type { Resolvers } from '../../../generated/graphql.ts';
import { Contractor } from './Contractor.ts';
import { Mutation } from './Mutation.ts';
import { Payment } from './Payment.ts';
import { Query } from './Query.ts';

/**
 * Each area of Jump.Finance (contractors and payouts here; certificates, cooperations, branches, nomenclature,
 * identity, the nominal account in their own files) resolves its own fields; the parts are merged per type, and a
 * field two parts resolve is a mistake caught at start-up.
 */
const PARTS: Resolvers[] = [{ Query, Mutation, Contractor, Payment }];

function mergeResolvers(parts: readonly Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part as Record<string, Record<string, unknown>>)) {
      const target = (merged[type] ??= {});
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in target) throw new Error(`payouts resolvers: ${type}.${field} is resolved by two parts`);
        target[field] = resolver;
      }
    }
  }
  return merged as Resolvers;
}

/** Contractors and payouts over Jump.Finance (schema/payouts*.graphql); the Decimal scalar is added in src/graphql/schema.ts. */
export const payoutResolvers: Resolvers = mergeResolvers(PARTS);
