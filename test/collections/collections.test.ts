import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../../src/paths.ts';
import { withSubgraph } from '../support/subgraph.ts';

/** The emulator gives INNs whose digits 3–5 are "250" exactly 2,500 proceedings and purchases (pages 1000, 1000, 500). */
const BIG = '7725000000';

const FSSP_PAGE = `query ($inn: String!, $first: Int, $after: String) {
  company(inn: $inn) {
    fsspProceedings(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { number startDate amount subject isActive endReason endDate
        executoryDocument { description number date } debtor { name address } bailiffDepartment { name address } } }
    }
  }
}`;

function fixtureInns(method: string): string[] {
  return fs
    .readdirSync(path.join(fixturesDir, 'kontur-focus'))
    .filter((file) => file.endsWith(`_0.${method}.json`))
    .map((file) => file.split('_')[0]!)
    .sort();
}

describe('enforcement proceedings: a connection over 1000-item vendor pages', () => {
  const env = withSubgraph();

  it('2,500 items: the first 50 cost 1 call; item 1,001 needs skip=1000; the whole walk costs 3; walking again 0', async () => {
    env.emulator.resetCalls();
    const first = await env.subgraph.gql(FSSP_PAGE, { inn: BIG, first: 50 });
    expect(first.errors).toBeUndefined();
    const connection = first.data.company.fsspProceedings;
    expect(connection.edges).toHaveLength(50);
    expect(connection.totalCount).toBeNull();
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(env.emulator.callsTo('fssp')).toHaveLength(1);

    const numbers: string[] = connection.edges.map((edge: { node: { number: string } }) => edge.node.number);
    let after: string | null = connection.pageInfo.endCursor;
    let hasNextPage = true;
    let total: number | null = null;
    while (hasNextPage) {
      const page = (await env.subgraph.gql(FSSP_PAGE, { inn: BIG, first: 50, after })).data.company.fsspProceedings;
      numbers.push(...page.edges.map((edge: { node: { number: string } }) => edge.node.number));
      if (numbers.length === 1_050) {
        // The window holding item 1,001 reached into the second vendor page.
        expect(env.emulator.callsTo('fssp').map((call) => call.ids)).toEqual([[BIG], [BIG]]);
      }
      ({ hasNextPage, endCursor: after } = page.pageInfo);
      total = page.totalCount;
    }
    expect(numbers).toHaveLength(2_500);
    expect(new Set(numbers).size).toBe(2_500);
    expect(total).toBe(2_500);
    expect(env.emulator.callsTo('fssp')).toHaveLength(3);

    env.emulator.resetCalls();
    const again = await env.subgraph.gql(FSSP_PAGE, { inn: BIG, first: 1000, after: null });
    expect(again.data.company.fsspProceedings.edges).toHaveLength(1000);
    expect(env.emulator.callsTo('fssp')).toHaveLength(0);
  });

  it('a cursor stays valid across the vendor-page boundary', async () => {
    const firstThousand = (await env.subgraph.gql(FSSP_PAGE, { inn: BIG, first: 1000 })).data.company.fsspProceedings;
    const cursor998 = firstThousand.edges[998].cursor;
    const next = (await env.subgraph.gql(FSSP_PAGE, { inn: BIG, first: 3, after: firstThousand.pageInfo.endCursor })).data.company
      .fsspProceedings;
    const straddling = (await env.subgraph.gql(FSSP_PAGE, { inn: BIG, first: 4, after: cursor998 })).data.company.fsspProceedings;
    const expected = [firstThousand.edges[999], ...next.edges].map((edge: { node: unknown }) => edge.node);
    expect(straddling.edges.map((edge: { node: unknown }) => edge.node)).toEqual(expected);
    expect(straddling.edges).toHaveLength(4);
    expect(straddling.pageInfo.hasPreviousPage).toBe(true);
  });

  it('maps a real proceeding (7452027843, 247 items) and knows the total from its one short page', async () => {
    const result = await env.subgraph.gql(FSSP_PAGE, { inn: '7452027843', first: 1 });
    const connection = result.data.company.fsspProceedings;
    expect(connection.totalCount).toBe(247);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(connection.edges[0].node).toMatchObject({
      number: '6756/20/74022-ИП',
      amount: 12731.1,
      startDate: '2020-03-19',
      isActive: true,
      endReason: null,
    });
  });

  it('an invalid cursor or window is BAD_USER_INPUT', async () => {
    const bad = await env.subgraph.gql(FSSP_PAGE, { inn: BIG, first: 10, after: 'bm9wZQ' });
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const tooMany = await env.subgraph.gql(FSSP_PAGE, { inn: BIG, first: 1001 });
    expect(tooMany.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it.each(fixtureInns('fssp'))('the captured fssp page of %s resolves without errors', async (inn) => {
    const result = await env.subgraph.gql(FSSP_PAGE, { inn, first: 1000 });
    expect(result.errors).toBeUndefined();
    const expected = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'kontur-focus', `${inn}_0.fssp.json`), 'utf8')).flatMap(
      (record: { fssp?: unknown[] }) => record.fssp ?? [],
    ).length;
    expect(result.data.company.fsspProceedings.edges).toHaveLength(Math.min(expected, 1000));
  });
});

const PURCHASES = `query ($inn: String!, $role: PurchaseRole!, $first: Int) {
  company(inn: $inn) {
    purchases(role: $role, first: $first) {
      totalCount
      edges { node {
        law number statusText selectionMethod subject publishedOn startPrice { amount currency }
        contract { number date executionDate price { amount currency } stage }
        customers { inn kpp name isWinner hasContract isNotAdmitted }
        participants { inn name isWinner hasContract isNotAdmitted }
        objects { name codes { system code name } }
      } }
    }
  }
}`;

describe('government purchases', () => {
  const env = withSubgraph();

  it('the Cyrillic executionСompleted stage is COMPLETED', async () => {
    const result = await env.subgraph.gql(PURCHASES, { inn: '6658021579', role: 'CUSTOMER', first: 1000 });
    expect(result.errors).toBeUndefined();
    const nodes = result.data.company.purchases.edges.map((edge: { node: any }) => edge.node);
    expect(nodes).toHaveLength(942);
    expect(result.data.company.purchases.totalCount).toBe(942);
    const purchase = nodes.find((node: any) => node.number === '0162200021819000051');
    expect(purchase.contract).toMatchObject({ number: '2665802157919000094', stage: 'COMPLETED' });
    expect(nodes.filter((node: any) => node.contract?.stage === 'UNKNOWN')).toHaveLength(0);
  });

  it('a page whose participants name N distinct companies costs ⌈N/100⌉ req calls for their company', async () => {
    const list = await env.subgraph.gql(PURCHASES, { inn: BIG, role: 'CUSTOMER', first: 1000 });
    const distinct = new Set<string>(
      list.data.company.purchases.edges.flatMap((edge: { node: { participants: Array<{ inn: string | null }> } }) =>
        edge.node.participants.map((party) => party.inn).filter(Boolean),
      ),
    );
    expect(distinct.size).toBeGreaterThan(200);
    env.emulator.resetCalls();
    const result = await env.subgraph.gql(
      `query ($inn: String!) { company(inn: $inn) { purchases(role: CUSTOMER, first: 1000) {
        edges { node { participants { inn company { shortName status { code } } } } } } } }`,
      { inn: BIG },
    );
    expect(result.errors).toBeUndefined();
    const reqIds = env.emulator.callsTo('req').flatMap((call) => call.ids);
    expect(new Set(reqIds)).toEqual(distinct);
    expect(env.emulator.callsTo('req')).toHaveLength(Math.ceil(distinct.size / 100));
    const resolved = result.data.company.purchases.edges[0].node.participants.find((party: any) => party.inn);
    expect(resolved.company.shortName).toEqual(expect.any(String));
  });

  it.each([
    ...fixtureInns('govPurchasesOfCustomer').map((inn) => [inn, 'CUSTOMER']),
    ...fixtureInns('govPurchasesOfParticipant').map((inn) => [inn, 'PARTICIPANT']),
  ])('the captured purchases page of %s (%s) resolves without errors', async (inn, role) => {
    const result = await env.subgraph.gql(PURCHASES, { inn, role, first: 1000 });
    expect(result.errors).toBeUndefined();
    expect(
      result.data.company.purchases.edges.every((edge: any) => edge.node.contract === null || edge.node.contract.stage !== 'UNKNOWN'),
    ).toBe(true);
  });
});

describe('contact phones and key usage', () => {
  const env = withSubgraph();

  it('contactPhones come from the contacts method as +7 numbers, batched like the core methods', async () => {
    env.emulator.resetCalls();
    const result = await env.subgraph.gql(
      `{ a: company(inn: "6658021579") { contactPhones } b: company(inn: "7700000030") { contactPhones } c: company(inn: "7700000009") { contactPhones } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.a.contactPhones).toHaveLength(20);
    expect(result.data.a.contactPhones.slice(0, 2)).toEqual(['+73433621541', '+73433621577']);
    expect(result.data.b.contactPhones).toHaveLength(5);
    expect(result.data.c.contactPhones).toEqual([]);
    expect(env.emulator.callsTo('contacts')).toHaveLength(1);
    expect(env.emulator.callsTo('contacts')[0]!.ids.sort()).toEqual(['6658021579', '7700000009', '7700000030']);
  });

  it('focusUsage lists each method with its limit, type, spent and remaining', async () => {
    const result = await env.subgraph.gql(`{ focusUsage { method limit limitType spent remaining periodStart periodEnd } }`);
    expect(result.errors).toBeUndefined();
    const req = result.data.focusUsage.find((quota: { method: string }) => quota.method === 'req');
    expect(req.limitType).toBe('REQUESTS');
    expect(req.remaining).toBe(req.limit - req.spent);
    expect(req.spent).toBeGreaterThanOrEqual(1);
    expect(req.periodStart).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
