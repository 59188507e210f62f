/**
 * The baseline: a bare Apollo Server 5 on the same HTTP integration (express 5, @as-integrations/express5,
 * express.json), no plugins, answering the same company JSON from a Map. What graphql-js and the HTTP stack cost on
 * their own; the subgraph's overhead is measured against it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { announce, answerStats, type BenchRequest } from './ipc.ts';

const typeDefs = `#graphql
  type Query {
    company(inn: String!): Company
    companies(inns: [String!]!): [Company]!
  }
  type Company {
    inn: String!
    shortName: String
    status: CompanyStatus!
    legalAddress: Address
    heads: [Head!]!
  }
  type CompanyStatus { code: String! }
  type Address { oneLine: String }
  type Head { fio: String }
`;

const companies = new Map<string, unknown>();
const resolvers = {
  Query: {
    company: (_: unknown, { inn }: { inn: string }) => companies.get(inn) ?? null,
    companies: (_: unknown, { inns }: { inns: string[] }) => inns.map((inn) => companies.get(inn) ?? null),
  },
};

const apollo = new ApolloServer({ typeDefs, resolvers });
await apollo.start();
const app = express();
app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo));
const server = http.createServer(app);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.on('message', (message: BenchRequest) => {
  if (message.type !== 'load') return;
  for (const [inn, company] of Object.entries(message.companies)) companies.set(inn, company);
  process.send!({ type: 'loaded', size: companies.size });
});
answerStats();
announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
