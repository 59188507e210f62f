import { describe, expect, it } from 'vitest';
import { MODULES } from '../../src/app/registry.ts';
import { buildSchema } from '../../src/graphql/schema.ts';
import { estimate } from '../support/cost.ts';
import { legalEntityInns } from '../support/inns.ts';
import { withSubgraph } from '../support/subgraph.ts';

describe('vendor-cost estimate', () => {
  it('counts a variable left to its default value', () => {
    const inns = legalEntityInns(1000, 70);
    const query = `query ($inns: [String!]! = ${JSON.stringify(inns)}) { companies(inns: $inns) { analytics { revenue } licences { number } } }`;
    expect(estimate(query)).toBe(30);
  });

  it('batches across aliases: 11 single-company lookups with every group cost 5 calls, not 55', () => {
    const aliases = legalEntityInns(11, 71)
      .map(
        (inn, i) => `c${i}: company(inn: "${inn}") { activities { code } analytics { revenue } licences { number } financials { year } }`,
      )
      .join(' ');
    expect(estimate(`{ ${aliases} }`)).toBe(5);
  });

  it('counts paged fields per company and page, and the companies their purchases name', () => {
    expect(estimate(`{ company(inn: "6663003127") { fsspProceedings(first: 1000) { totalCount } } }`)).toBe(2);
    expect(
      estimate(
        `{ company(inn: "6663003127") { purchases(role: CUSTOMER, first: 100) { edges { node { participants { company { shortName } } } } } } }`,
      ),
    ).toBe(1 + 1 + 2);
  });
});

describe('the estimate never undercounts a field', () => {
  const env = withSubgraph();
  // @apollo/subgraph builds with graphql's CommonJS copy: inspect its types structurally, not with graphql's predicates.
  const company = buildSchema(MODULES).getType('Company') as unknown as {
    getFields(): Record<string, { type: unknown; args: Array<{ name: string }> }>;
  };
  const namedType = (type: any): any => (type.ofType ? namedType(type.ofType) : type);
  let seed = 0;

  it.each(Object.keys(company.getFields()))('Company.%s alone costs no more than estimated', async (name) => {
    const field = company.getFields()[name]!;
    const args = field.args.some((arg) => arg.name === 'role') ? '(role: CUSTOMER)' : '';
    const selection = typeof namedType(field.type).getFields === 'function' ? '{ __typename }' : '';
    const [inn] = legalEntityInns(1, 200 + seed++);
    const query = `{ company(inn: "${inn}") { ${name}${args} ${selection} } }`;
    env.emulator.resetCalls();
    const result = await env.subgraph.gql(query);
    expect(result.errors).toBeUndefined();
    expect(env.emulator.calls.length).toBeLessThanOrEqual(estimate(query));
  });
});
