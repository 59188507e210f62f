import { composeServices } from '@apollo/composition';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { withSubgraph } from '../support/subgraph.ts';

/** A CRM subgraph of the company supergraph that references companies by INN. */
const CRM_SUBGRAPH = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { deal(id: ID!): Deal }
  type Deal @key(fields: "id") { id: ID! title: String! counterparty: Company }
  type Company @key(fields: "inn", resolvable: false) { inn: String! }
`;

describe('federation', () => {
  const env = withSubgraph();
  let sdl: string;

  beforeAll(async () => {
    sdl = (await env.subgraph.gql(`{ _service { sdl } }`)).data._service.sdl;
  });

  it('_service { sdl } declares Company as an entity keyed by inn, on Federation v2', () => {
    expect(sdl).toContain('type Company @key(fields: "inn")');
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
  });

  it('composes with a second subgraph that references Company by inn', () => {
    const result = composeServices([
      { name: 'counterparty', typeDefs: parse(sdl), url: 'http://counterparty/graphql' },
      { name: 'crm', typeDefs: parse(CRM_SUBGRAPH), url: 'http://crm/graphql' },
    ]);
    expect(result.errors).toBeUndefined();
    expect(result.supergraphSdl).toContain('counterparty: Company');
    expect(result.supergraphSdl).toContain('@join__type(graph: COUNTERPARTY, key: "inn")');
  });

  it('_entities resolves representations in order and answers null for an INN the registry does not know', async () => {
    const result = await env.subgraph.gql(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { inn shortName status { code } } } }`,
      {
        r: [
          { __typename: 'Company', inn: '4401006984' },
          { __typename: 'Company', inn: '0012345673' },
          { __typename: 'Company', inn: '6663003127' },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { inn: '4401006984', shortName: 'ОАО "Мотордеталь"', status: { code: 'LIQUIDATED' } },
      null,
      { inn: '6663003127', shortName: 'АО "ПФ "СКБ Контур"', status: { code: 'ACTIVE' } },
    ]);
  });
});
