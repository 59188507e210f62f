import fs from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { schemaDir } from '../paths.ts';
import type { Resolvers } from '../generated/graphql.ts';
import { collectionResolvers } from '../modules/collections/resolvers/index.ts';
import { companyResolvers } from '../modules/company/resolvers/index.ts';
import { documentResolvers } from '../modules/documents/resolvers/index.ts';
import { monitoringResolvers } from '../modules/monitoring/resolvers.ts';
import { riskResolvers } from '../modules/risk/resolvers.ts';
import { tbankResolvers } from '../modules/tbank/resolvers.ts';
import { DateScalar, DateTimeScalar } from '../common/scalars.ts';
import { payoutResolvers } from '../modules/payouts/resolvers/index.ts';
import { DecimalScalar } from '../common/decimal.ts';

/** schema/*.graphql as one SDL document, in a stable order. */
export function readTypeDefs(): string {
  return fs
    .readdirSync(schemaDir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => fs.readFileSync(path.join(schemaDir, file), 'utf8'))
    .join('\n');
}

/** Each module resolves its own fields of shared types (Query, Company): merged per type, a field defined twice is a bug. */
export function mergeResolvers(...maps: Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      const target = (merged[type] ??= {});
      for (const [field, resolver] of Object.entries(fields as Record<string, unknown>)) {
        if (field in target) throw new Error(`Resolver ${type}.${field} is defined by two modules`);
        target[field] = resolver;
      }
    }
  }
  return merged as Resolvers;
}

export function buildSchema(): GraphQLSchema {
  const typeDefs = readTypeDefs();
  const resolvers = {
    ...mergeResolvers(companyResolvers, collectionResolvers, documentResolvers, monitoringResolvers, riskResolvers, tbankResolvers, payoutResolvers),
    Date: DateScalar,
    DateTime: DateTimeScalar,
    Decimal: DecimalScalar,
  };
  const schema = buildSubgraphSchema([{ typeDefs: parse(typeDefs), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  // `_service { sdl }` answers with schema/ as written (`type Company @key(fields: "inn") { … }`), which composes
  // exactly like the federation printer's output but stays readable for people fetching it with Rover.
  const service = schema.getQueryType()?.getFields()._service;
  if (service) service.resolve = () => ({ sdl: typeDefs });
  return schema;
}
