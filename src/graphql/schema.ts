import fs from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { DecimalScalar } from '../common/decimal.ts';
import { DateScalar, DateTimeScalar } from '../common/scalars.ts';
import type { Resolvers } from '../generated/graphql.ts';
import type { AnyModule } from '../modules/contract.ts';
import { schemaDir } from '../paths.ts';

/** The house's own schema file (scalars); each module names its files. */
const CORE_SCHEMA = ['scalars.graphql'];

/** The modules' schema files as one SDL document, in registry order. */
export function readTypeDefs(modules: readonly AnyModule[]): string {
  const files = [...CORE_SCHEMA, ...modules.flatMap((module) => module.schema ?? [])];
  const unclaimed = fs.readdirSync(schemaDir).filter((file) => file.endsWith('.graphql') && !files.includes(file));
  if (unclaimed.length > 0) throw new Error(`schema/${unclaimed.join(', schema/')}: no module lists it`);
  return files.map((file) => fs.readFileSync(path.join(schemaDir, file), 'utf8')).join('\n');
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

export function buildSchema(modules: readonly AnyModule[]): GraphQLSchema {
  const typeDefs = readTypeDefs(modules);
  const resolvers = {
    ...mergeResolvers(...modules.flatMap((module) => (module.resolvers ? [module.resolvers] : []))),
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
