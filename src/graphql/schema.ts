import fs from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { schemaDir } from '../paths.ts';
import { companyResolvers } from '../modules/company/resolvers/index.ts';
import { DateScalar, DateTimeScalar } from '../modules/scalars.ts';

/** schema/*.graphql as one SDL document, in a stable order. */
export function readTypeDefs(): string {
  return fs
    .readdirSync(schemaDir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => fs.readFileSync(path.join(schemaDir, file), 'utf8'))
    .join('\n');
}

export function buildSchema(): GraphQLSchema {
  const typeDefs = readTypeDefs();
  const resolvers = { ...companyResolvers, Date: DateScalar, DateTime: DateTimeScalar };
  const schema = buildSubgraphSchema([{ typeDefs: parse(typeDefs), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  // `_service { sdl }` answers with schema/ as written (`type Company @key(fields: "inn") { … }`), which composes
  // exactly like the federation printer's output but stays readable for people fetching it with Rover.
  const service = schema.getQueryType()?.getFields()._service;
  if (service) service.resolve = () => ({ sdl: typeDefs });
  return schema;
}
