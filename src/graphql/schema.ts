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
  const resolvers = { ...companyResolvers, Date: DateScalar, DateTime: DateTimeScalar };
  return buildSubgraphSchema([{ typeDefs: parse(readTypeDefs()), resolvers: resolvers as GraphQLResolverMap<unknown> }]);
}
