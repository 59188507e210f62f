import { describe, expect, it } from 'vitest';
import { soleProprietorInns } from '../support/inns.ts';
import { addContractor, withPayouts } from '../support/payouts.ts';

describe('payouts queries: batching, connections and money', () => {
  const env = withPayouts();
  const inns = soleProprietorInns(200, 7);
  const ids: number[] = [];

  it('payments(first: 100) whose contractors are 40 distinct people → 40 contractor cards at most, their companies → 1 req call', async () => {
    const { jump, focus, subgraph } = env;
    for (let i = 0; i < 40; i++) ids.push(addContractor(jump, { legal_form_id: 3, inn: inns[i]! }));
    for (let i = 0; i < 100; i++) jump.addPayment({ contractorId: ids[i % 40]!, amount: `${100 + i}.10` });
    jump.resetCalls();
    focus.resetCalls();

    const query = `{
      payments(first: 100) {
        totalCount
        edges { node { id amount contractor { id fullName inn company { inn shortName status { code } } } } }
      }
    }`;
    const result = await subgraph.gql(query);
    expect(result.errors).toBeUndefined();
    const edges = result.data.payments.edges as Array<{
      node: { amount: string; contractor: { id: string; company: { inn: string } | null } };
    }>;
    expect(result.data.payments.totalCount).toBe(100);
    expect(edges).toHaveLength(100);
    expect(new Set(edges.map((edge) => edge.node.contractor.id)).size).toBe(40);
    expect(edges.every((edge) => edge.node.contractor.company?.inn !== undefined)).toBe(true);

    // One page of 100 from the vendor, one card per distinct contractor, one req call for their 40 INNs.
    expect(jump.callsTo('payments.list').map((call) => call.query)).toEqual([
      '?include=abilities%2Crequisite%2Chistory&page=1&per_page=100',
    ]);
    expect(jump.callsTo('contractors.get')).toHaveLength(40);
    expect(new Set(jump.callsTo('contractors.get').map((call) => call.path)).size).toBe(40);
    expect(focus.callsTo('req')).toHaveLength(1);
    expect(focus.callsTo('req')[0]!.ids).toHaveLength(40);

    // Again: the cards and the companies are cached; only the list is read again.
    jump.resetCalls();
    focus.resetCalls();
    expect((await subgraph.gql(query)).errors).toBeUndefined();
    expect(jump.calls.map((call) => call.op)).toEqual(['payments.list']);
    expect(focus.calls).toHaveLength(0);
  });

  it('Payment.contractor { id } alone costs no contractor call', async () => {
    env.jump.resetCalls();
    const result = await env.subgraph.gql('{ payments(first: 10) { edges { node { contractor { id } } } } }');
    expect(result.errors).toBeUndefined();
    expect(env.jump.calls.map((call) => call.op)).toEqual(['payments.list']);
  });

  it('contractors(first: 200) with their companies costs 1 list call and 2 req calls', async () => {
    const { jump, focus, subgraph } = env;
    for (let i = 40; i < 200; i++) addContractor(jump, { legal_form_id: 3, inn: inns[i]! });
    jump.resetCalls();
    focus.resetCalls();
    const result = await subgraph.gql('{ contractors(first: 200) { totalCount edges { node { id inn company { inn } } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.contractors.totalCount).toBe(200);
    expect(result.data.contractors.edges).toHaveLength(200);
    expect(jump.calls.map((call) => `${call.op}${call.query}`)).toEqual(['contractors.list?page=1&per_page=200']);
    // 40 INNs are cached from the first test; the other 160 cost two calls of at most 100.
    expect(
      focus
        .callsTo('req')
        .map((call) => call.ids.length)
        .sort((a, b) => a - b),
    ).toEqual([60, 100]);
  });

  it('connections map first/after onto page/per_page from the allowed set', async () => {
    const { jump, subgraph } = env;
    jump.resetCalls();
    const first = await subgraph.gql(
      '{ contractors(first: 2) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { id } } } }',
    );
    expect(first.data.contractors.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(['1', '2']);
    expect(first.data.contractors.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await subgraph.gql(
      'query ($after: String) { contractors(first: 2, after: $after) { pageInfo { hasNextPage hasPreviousPage } edges { node { id } } } }',
      {
        after: first.data.contractors.pageInfo.endCursor,
      },
    );
    expect(second.data.contractors.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(['3', '4']);
    expect(second.data.contractors.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true });
    // 40 items after offset 9 (items 10–49): one page of 50. 100 after offset 49 (50–149): one page of 150.
    const cursorAt = (index: number) => Buffer.from(`contractors:${index}`).toString('base64url');
    await subgraph.gql('query ($after: String) { contractors(first: 40, after: $after) { edges { node { id } } } }', {
      after: cursorAt(9),
    });
    const wide = await subgraph.gql('query ($after: String) { contractors(first: 100, after: $after) { edges { node { id } } } }', {
      after: cursorAt(49),
    });
    expect(wide.data.contractors.edges[0].node.id).toBe('51');
    expect(wide.data.contractors.edges).toHaveLength(100);
    // 150 after offset 149 (150–299, but only 200 exist): page 2 of 150 covers it in one call.
    const tail = await subgraph.gql(
      'query ($after: String) { contractors(first: 150, after: $after) { pageInfo { hasNextPage } edges { node { id } } } }',
      {
        after: cursorAt(149),
      },
    );
    expect(tail.data.contractors.edges).toHaveLength(50);
    expect(tail.data.contractors.pageInfo.hasNextPage).toBe(false);
    expect(jump.calls.map((call) => call.query)).toEqual([
      '?page=1&per_page=2',
      '?page=2&per_page=2',
      '?page=1&per_page=50',
      '?page=1&per_page=150',
      '?page=2&per_page=150',
    ]);
  });

  it('a bad window or cursor is BAD_USER_INPUT before any call', async () => {
    env.jump.resetCalls();
    const tooMany = await env.subgraph.gql('{ contractors(first: 201) { totalCount } }');
    expect(tooMany.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const foreign = await env.subgraph.gql('{ payments(first: 1, after: "Y29udHJhY3RvcnM6MQ") { totalCount } }');
    expect(foreign.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(env.jump.calls).toHaveLength(0);
  });

  it('payments filters go to the vendor as status, contractor_ids and created_at bounds', async () => {
    const { jump, subgraph } = env;
    jump.resetCalls();
    const result = await subgraph.gql(
      `{ payments(first: 5, filter: { status: PROCESSING, contractorIds: ["1", "2"], createdFrom: "2026-03-01T00:00:00Z", createdTo: "2026-03-03T00:00:00Z" }) {
          totalCount edges { node { status contractor { id } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    // Contractors 1 and 2 each got 3 of the 100 payouts (i % 40), all still processing on the test clock.
    expect(result.data.payments.totalCount).toBe(6);
    expect(jump.calls[0]!.query).toBe(
      '?include=abilities%2Crequisite%2Chistory&status=3&contractor_ids=1%2C2&created_at_from=2026-03-01T03%3A00%3A00%2B03%3A00&created_at_to=2026-03-03T03%3A00%3A00%2B03%3A00&page=1&per_page=5',
    );
    const unknown = await subgraph.gql('{ payments(filter: { status: UNKNOWN }) { totalCount } }');
    expect(unknown.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('a contractor answers its card, requisites (masked), balances, identification and payments', async () => {
    const { jump, subgraph } = env;
    const id = addContractor(jump, {
      legal_form_id: 2,
      inn: '001234567887',
      company_agrees_pay_taxes: true,
      identified: true,
      balance: '1234.5',
      middle_name: 'Ивановна',
      email: 'se@example.ru',
    });
    jump.addPayment({ contractorId: id, amount: '700.00' });
    const result = await subgraph.gql(
      `query ($id: ID!) { contractor(id: $id) {
      id phone email fullName legalForm legalFormTitle inn balance balanceCurrency agent { id name }
      requisites { id description typeSlug isDefault accountNumberMasked }
      balances { balance frozenBalance typeName agent { name } }
      selfEmployed { isVerified canPayTaxes companyAgreesToPayTaxes warning syncInProgress message { type shortTitle } }
      lastApprovedIdentification { status isVerified }
      payments(first: 5) { totalCount edges { node { amount status contractor { id } } } }
      company { inn }
    } }`,
      { id: String(id) },
    );
    expect(result.errors).toBeUndefined();
    const contractor = result.data.contractor;
    expect(contractor).toMatchObject({
      id: String(id),
      email: 'se@example.ru',
      legalForm: 'SELF_EMPLOYED',
      legalFormTitle: 'Самозанятый',
      inn: '001234567887',
      balance: '1234.50',
      balanceCurrency: 'RUB',
      agent: { id: '1', name: 'ООО "Альянс-М"' },
      balances: [{ balance: '1234.50', frozenBalance: '0.00', typeName: 'Основной', agent: { name: 'ООО "Альянс-М"' } }],
      selfEmployed: {
        isVerified: false,
        canPayTaxes: false,
        companyAgreesToPayTaxes: true,
        warning: true,
        syncInProgress: false,
        message: { type: 'error', shortTitle: 'Не привязан к компании' },
      },
      lastApprovedIdentification: { status: 'APPROVED', isVerified: true },
      payments: { totalCount: 1, edges: [{ node: { amount: '700.00', status: 'PROCESSING', contractor: { id: String(id) } } }] },
      company: null,
    });
    expect(contractor.requisites).toHaveLength(1);
    expect(contractor.requisites[0]).toMatchObject({ typeSlug: 'bank_card', isDefault: true });
    expect(contractor.requisites[0].accountNumberMasked).toMatch(/^•••• \d{4}$/);
    // The full card number never reaches the graph.
    expect(JSON.stringify(result)).not.toMatch(/\d{16}/);
    expect((await subgraph.gql('{ contractor(id: "999999") { id } }')).data.contractor).toBeNull();
    expect((await subgraph.gql('{ contractor(id: "x1") { id } }')).errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('vendor money keeps its digits: 1234.5 reads "1234.50", 0.1 + 0.2 stays exact', async () => {
    const { jump, subgraph } = env;
    const id = addContractor(jump);
    const a = jump.addPayment({ contractorId: id, amount: '0.10' });
    const b = jump.addPayment({ contractorId: id, amount: '0.20' });
    const c = jump.addPayment({ contractorId: id, amount: '99999999.99' });
    const result = await subgraph.gql(
      `{ a: payment(id: "${a}") { amount } b: payment(id: "${b}") { amount } c: payment(id: "${c}") { amount amountPaid taxAmount } }`,
    );
    expect(result.data).toEqual({
      a: { amount: '0.10' },
      b: { amount: '0.20' },
      c: { amount: '99999999.99', amountPaid: '0.00', taxAmount: '0.00' },
    });
  });
});
