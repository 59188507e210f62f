/**
 * A small CRM subgraph of the example supergraph: deals, each referencing a `Company` of the counterparty subgraph by
 * INN. A real Apollo Federation v2 subgraph (@apollo/server, buildSubgraphSchema); the gateway joins `Deal.company` to
 * the counterparty subgraph through `_entities`.
 *
 *   tsx deploy/supergraph/crm-subgraph.ts [--port 4200]
 *
 * Prints its URL; stops on SIGINT/SIGTERM.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// `Company` is keyed by `inn: String!` in the counterparty subgraph (schema/company.graphql): the key field's type
// must match exactly. `resolvable: false`: this subgraph only references companies, it resolves none of their fields.
export const CRM_TYPE_DEFS = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    "The CRM's deals (the first \`first\` of them when given)."
    deals(first: Int): [Deal!]!
    deal(id: ID!): Deal
  }

  "A sales deal with a counterparty company."
  type Deal @key(fields: "id") {
    id: ID!
    title: String!
    "Pipeline stage: LEAD, NEGOTIATION, CONTRACT, WON or LOST."
    stage: String!
    "Expected value in roubles, as a decimal string (e.g. \\"1250000.00\\")."
    amount: String!
    "The counterparty: its requisites, status and risk come from the counterparty subgraph."
    company: Company!
  }

  type Company @key(fields: "inn", resolvable: false) {
    inn: String!
  }
`;

export interface SampleDeal {
  id: string;
  title: string;
  stage: string;
  amount: string;
  inn: string;
}

/** Companies the bundled Kontur.Focus emulator serves from captured real responses (fixtures/kontur-focus/). */
export const SAMPLE_DEALS: readonly SampleDeal[] = [
  { id: 'deal-1', title: 'CRM licences for the accounting department', stage: 'NEGOTIATION', amount: '1250000.00', inn: '6663003127' },
  { id: 'deal-2', title: 'Pipeline sensors, pilot batch', stage: 'CONTRACT', amount: '48000000.00', inn: '7736050003' },
  { id: 'deal-3', title: 'Freight wagon telemetry', stage: 'LEAD', amount: '9300000.00', inn: '7708503727' },
  { id: 'deal-4', title: 'Spare parts supply (old contract)', stage: 'LOST', amount: '310000.00', inn: '4401006984' },
  // A mistyped INN (checksum-valid, unknown to the registry): its company answers null through the gateway.
  { id: 'deal-5', title: 'Lead from the website form', stage: 'LEAD', amount: '15000.00', inn: '0012345673' },
];

const asDeal = (deal: SampleDeal) => ({
  id: deal.id,
  title: deal.title,
  stage: deal.stage,
  amount: deal.amount,
  company: { inn: deal.inn },
});

const resolvers = {
  Query: {
    deals: (_: unknown, args: { first?: number | null }) =>
      SAMPLE_DEALS.slice(0, Math.max(0, args.first ?? SAMPLE_DEALS.length)).map(asDeal),
    deal: (_: unknown, args: { id: string }) => {
      const deal = SAMPLE_DEALS.find((candidate) => candidate.id === args.id);
      return deal ? asDeal(deal) : null;
    },
  },
  Deal: {
    __resolveReference: (reference: { id: string }) => {
      const deal = SAMPLE_DEALS.find((candidate) => candidate.id === reference.id);
      return deal ? asDeal(deal) : null;
    },
  },
};

export interface CrmSubgraph {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4200/graphql. */
  url: string;
  close(): Promise<void>;
}

/** Starts the CRM subgraph on loopback (port 0 = a free one). */
export async function startCrmSubgraph(options: { port?: number; host?: string } = {}): Promise<CrmSubgraph> {
  const host = options.host ?? '127.0.0.1';
  // No inline tracing (ftv1): that is for Apollo's usage reporting, which this example does not use.
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(CRM_TYPE_DEFS), resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: options.port ?? 0, host } });
  // The standalone server answers on every path; its URL says `localhost`, which may resolve to ::1.
  return { url: `http://${host}:${new URL(url).port}/graphql`, close: () => server.stop() };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '4200' }, host: { type: 'string', default: '127.0.0.1' } } });
  const crm = await startCrmSubgraph({ port: Number(values.port), host: values.host });
  console.log(crm.url);
  const stop = () => void crm.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
