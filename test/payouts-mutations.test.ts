import { describe, expect, it } from 'vitest';
import { CREATE_PAYMENT, TEST_JUMP_KEY, WRITE, addContractor, withPayouts } from './support/payouts.ts';

const UPSERT = /* GraphQL */ `
  mutation Upsert($input: ContractorInput!) {
    upsertContractor(input: $input) { id phone fullName legalForm inn }
  }
`;

describe('payouts mutations: scope, input checks, phones, the self-employed sync rule', () => {
  const env = withPayouts();

  const mutations: Array<[string, string, Record<string, unknown>]> = [
    ['upsertContractor', UPSERT, { input: { phone: '+79031234567', lastName: 'Иванов', firstName: 'Иван', legalForm: 'INDIVIDUAL' } }],
    [
      'updateContractor',
      'mutation ($input: ContractorInput!) { updateContractor(id: "1", input: $input) { id } }',
      { input: { phone: '+79031234567', lastName: 'Иванов', firstName: 'Иван', legalForm: 'INDIVIDUAL' } },
    ],
    ['deleteContractor', 'mutation { deleteContractor(id: "1") { deleted } }', {}],
    ['syncSelfEmployedStatus', 'mutation { syncSelfEmployedStatus(contractorId: "1") { isVerified } }', {}],
    ['createPayment', CREATE_PAYMENT, { input: { contractorId: '1', amount: '100.00' } }],
    ['repeatPayment', 'mutation { repeatPayment(id: "1") { id } }', {}],
  ];

  it.each(mutations)('%s without the payouts:write scope is FORBIDDEN, with no vendor call', async (field, query, variables) => {
    const { jump, focus, subgraph } = env;
    jump.resetCalls();
    focus.resetCalls();
    const attempts: Array<Record<string, string>> = [{}, { 'x-user-scopes': 'openid payouts:read' }, { 'x-user-scopes': 'payouts:writer,payouts' }, { 'x-other-scopes': 'payouts:write' }];
    for (const headers of attempts) {
      const result = await subgraph.gql(query, variables, headers);
      expect(result.data ?? null).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', requiredScope: 'payouts:write' });
      expect(result.errors![0]!.path).toEqual([field]);
    }
    expect(jump.calls).toHaveLength(0);
    expect(focus.calls).toHaveLength(0);
  });

  it('the scope list may be space- or comma-separated', async () => {
    const { subgraph } = env;
    for (const scopes of ['payouts:write', 'openid payouts:write', 'openid,payouts:write', 'openid, profile,  payouts:write']) {
      const result = await subgraph.gql(UPSERT, { input: { phone: '+79030000001', lastName: 'Скоупов', firstName: 'Тест', legalForm: 'INDIVIDUAL' } }, {
        'x-user-scopes': scopes,
      });
      expect(result.errors).toBeUndefined();
    }
  });

  it('upsertContractor normalises the phone to +7XXXXXXXXXX and the vendor upserts by it', async () => {
    const { jump, subgraph } = env;
    const created = await subgraph.gql(UPSERT, { input: { phone: '8 (903) 555-12-34', lastName: 'Петров', firstName: 'Пётр', legalForm: 'INDIVIDUAL' } }, WRITE);
    expect(created.errors).toBeUndefined();
    expect(created.data.upsertContractor).toMatchObject({ phone: '+79035551234', fullName: 'Петров Пётр', legalForm: 'INDIVIDUAL', inn: null });
    for (const phone of ['+7 903 555 12 34', '79035551234', '9035551234', '+7(903)555-12-34']) {
      const again = await subgraph.gql(UPSERT, { input: { phone, lastName: 'Петров', firstName: 'Павел', legalForm: 'INDIVIDUAL' } }, WRITE);
      expect(again.data.upsertContractor).toMatchObject({ id: created.data.upsertContractor.id, phone: '+79035551234', fullName: 'Петров Павел' });
    }
    const sent = jump.contractors().filter((contractor) => contractor.phone === '+79035551234');
    expect(sent).toHaveLength(1);
    // The vendor's body: the default group from GET /groups and the only legal entity from GET /agents.
    expect(jump.callsTo('groups.list')).toHaveLength(1);
    expect(jump.callsTo('agents.list')).toHaveLength(1);
  });

  it.each(['12345', '+8 903 555 12 34', '+7 903 555 12 3', 'phone', '8 903 555 12 34 5'])('a phone like %j is BAD_USER_INPUT with no call', async (phone) => {
    env.jump.resetCalls();
    const result = await env.subgraph.gql(UPSERT, { input: { phone, lastName: 'Иванов', firstName: 'Иван', legalForm: 'INDIVIDUAL' } }, WRITE);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.phone' });
    expect(env.jump.calls).toHaveLength(0);
  });

  it('a self-employed contractor needs a valid 12-digit INN', async () => {
    env.jump.resetCalls();
    const base = { phone: '+79031110000', lastName: 'Самозанятов', firstName: 'Сергей', legalForm: 'SELF_EMPLOYED' };
    const missing = await env.subgraph.gql(UPSERT, { input: base }, WRITE);
    expect(missing.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'inn' });
    const bad = await env.subgraph.gql(UPSERT, { input: { ...base, inn: '001234567880' } }, WRITE);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'inn' });
    expect(env.jump.calls).toHaveLength(0);
    const ok = await env.subgraph.gql(UPSERT, { input: { ...base, inn: '001234567887', companyAgreesToPayTaxes: true } }, WRITE);
    expect(ok.data.upsertContractor).toMatchObject({ legalForm: 'SELF_EMPLOYED', inn: '001234567887' });
  });

  it('updateContractor replaces the card; deleteContractor removes it (false the second time)', async () => {
    const { jump, subgraph } = env;
    const id = addContractor(jump, { phone: '+79161112233' });
    const updated = await subgraph.gql(
      'mutation ($id: ID!, $input: ContractorInput!) { updateContractor(id: $id, input: $input) { id phone fullName email } }',
      { id: String(id), input: { phone: '8-916-111-22-33', lastName: 'Новикова', firstName: 'Ольга', middleName: 'Петровна', email: 'olga@example.ru', legalForm: 'INDIVIDUAL' } },
      WRITE,
    );
    expect(updated.data.updateContractor).toEqual({ id: String(id), phone: '+79161112233', fullName: 'Новикова Ольга Петровна', email: 'olga@example.ru' });
    // The card the update answered is what reads see (the cache was refreshed, not left stale).
    const read = await subgraph.gql(`{ contractor(id: "${id}") { fullName } }`);
    expect(read.data.contractor.fullName).toBe('Новикова Ольга Петровна');
    const missing = await subgraph.gql(
      'mutation ($input: ContractorInput!) { updateContractor(id: "987654", input: $input) { id } }',
      { input: { phone: '+79160000000', lastName: 'Нет', firstName: 'Нет', legalForm: 'INDIVIDUAL' } },
      WRITE,
    );
    expect(missing.errors![0]!.extensions!.code).toBe('NOT_FOUND');

    const deleted = await subgraph.gql(`mutation { deleteContractor(id: "${id}") { id deleted } }`, {}, WRITE);
    expect(deleted.data.deleteContractor).toEqual({ id: String(id), deleted: true });
    expect((await subgraph.gql(`{ contractor(id: "${id}") { id } }`)).data.contractor).toBeNull();
    const again = await subgraph.gql(`mutation { deleteContractor(id: "${id}") { id deleted } }`, {}, WRITE);
    expect(again.data.deleteContractor).toEqual({ id: String(id), deleted: false });
  });

  it('with agentId and groupId given, nothing but the upsert is sent (defaults are read only when needed)', async () => {
    const replica = await env.startReplica();
    env.jump.resetCalls();
    const result = await replica.gql(UPSERT, { input: { phone: '+79031118888', lastName: 'Явный', firstName: 'Агент', legalForm: 'INDIVIDUAL', agentId: '1', groupId: '2' } }, WRITE);
    expect(result.errors).toBeUndefined();
    expect(env.jump.calls.map((call) => call.op)).toEqual(['contractors.upsert']);
  });

  it('the vendor\'s 422 field errors reach extensions.fieldErrors, not the message', async () => {
    const result = await env.subgraph.gql(UPSERT, { input: { phone: '+79031119999', lastName: 'Иванов', firstName: 'Иван', legalForm: 'INDIVIDUAL', groupId: '77' } }, WRITE);
    expect(result.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      vendor: 'jump-finance',
      status: 422,
      fieldErrors: [{ field: 'group_id', messages: ['Выбранное значение для группа ошибочно.'] }],
    });
    expect(result.errors![0]!.message).not.toContain('группа');
  });

  it('a second syncSelfEmployedStatus inside 30 s → RATE_LIMITED with the seconds to wait, and no vendor call', async () => {
    const { jump, subgraph, clock } = env;
    const id = addContractor(jump, { legal_form_id: 2, inn: '001234567887', company_agrees_pay_taxes: true });
    const sync = `mutation { syncSelfEmployedStatus(contractorId: "${id}") { isVerified canPayTaxes syncInProgress message { shortTitle } } }`;
    jump.resetCalls();
    const first = await subgraph.gql(sync, {}, WRITE);
    expect(first.data.syncSelfEmployedStatus).toEqual({ isVerified: false, canPayTaxes: false, syncInProgress: true, message: { shortTitle: 'Идёт проверка' } });

    clock.advance(10_000);
    const second = await subgraph.gql(sync, {}, WRITE);
    expect(second.data).toBeNull();
    expect(second.errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 20, contractorId: String(id) });
    expect(second.errors![0]!.message).toBe('Jump.Finance allows one self-employed status check per 30 s per contractor; try again in 20 s');
    clock.advance(19_500);
    const third = await subgraph.gql(sync, {}, WRITE);
    expect(third.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
    expect(jump.callsTo('selfemployer.sync')).toHaveLength(1);

    // Past the window: the vendor is asked again; its sync finished meanwhile (2 s), the contractor is verified.
    clock.advance(500);
    const fourth = await subgraph.gql(sync, {}, WRITE);
    expect(fourth.errors).toBeUndefined();
    expect(jump.callsTo('selfemployer.sync')).toHaveLength(2);
    clock.advance(2_000);
    const state = await subgraph.gql(`{ contractor(id: "${id}") { selfEmployed { isVerified canPayTaxes warning syncInProgress } } }`);
    expect(state.data.contractor.selfEmployed).toEqual({ isVerified: true, canPayTaxes: true, warning: false, syncInProgress: false });
  });

  it('a replica that does not share the store meets the vendor\'s 429 instead, answered as RATE_LIMITED too', async () => {
    const { jump, clock } = env;
    // Replicas on one Redis share the window through the store; this one has its own memory, so it asks the vendor,
    // whose 429 (Retry-After: 25) reads the same as the local answer.
    const id = addContractor(jump, { legal_form_id: 2, inn: '001234567887' });
    const other = await env.startReplica();
    const sync = `mutation { syncSelfEmployedStatus(contractorId: "${id}") { syncInProgress } }`;
    expect((await env.subgraph.gql(sync, {}, WRITE)).errors).toBeUndefined();
    clock.advance(5_000);
    const refused = await other.gql(sync, {}, WRITE);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 25 });
  });

  it('a card number in purpose, serviceName or customerPaymentId is refused before any call', async () => {
    const { jump, focus, subgraph } = env;
    const id = addContractor(jump);
    jump.resetCalls();
    focus.resetCalls();
    const cases: Array<[Record<string, string>, string]> = [
      [{ purpose: 'Выплата на карту 4111 1111 1111 1111' }, 'input.purpose'],
      [{ purpose: 'карта 2202-2010-8043-1519' }, 'input.purpose'],
      [{ serviceName: 'Доставка, карта 5469550053219652' }, 'input.serviceName'],
      [{ customerPaymentId: 'pay-4111111111111111' }, 'input.customerPaymentId'],
    ];
    for (const [extra, argument] of cases) {
      const result = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: String(id), amount: '10.00', ...extra } }, WRITE);
      expect(result.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument, reason: 'CARD_NUMBER' });
      // The number is not echoed back.
      expect(result.errors![0]!.message).not.toMatch(/\d{4}/);
    }
    expect(jump.calls).toHaveLength(0);
    expect(focus.calls).toHaveLength(0);
    // Phones, INNs, contract numbers and 20-digit bank accounts are not cards.
    const fine = await subgraph.gql(
      CREATE_PAYMENT,
      { input: { contractorId: String(id), amount: '10.00', purpose: 'Договор 12/2024 от 01.02.2026, ИНН 7707083893, тел. +79031112233, счёт 40817810099910004312' } },
      WRITE,
    );
    expect(fine.errors).toBeUndefined();
  });

  it('a customerPaymentId outside the vendor\'s alphabet or over 36 characters is refused', async () => {
    env.jump.resetCalls();
    for (const key of ['платёж-1', 'a/b', 'x'.repeat(37), 'pay#1', '']) {
      const result = await env.subgraph.gql(CREATE_PAYMENT, { input: { contractorId: '1', amount: '1.00', customerPaymentId: key } }, WRITE);
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.customerPaymentId' });
    }
    expect(env.jump.calls).toHaveLength(0);
  });

  it('amounts: positive, at most two decimals, as strings; "100.101" is BAD_USER_INPUT literal or variable', async () => {
    const { jump, subgraph } = env;
    jump.resetCalls();
    for (const amount of ['100.101', '0.001', '0', '-5.00', '0.00', '1e3', 'abc', '100000000.01']) {
      const result = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: '1', amount } }, WRITE);
      expect(result.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    }
    const literal = await subgraph.gql('mutation { createPayment(input: { contractorId: "1", amount: "100.101" }) { customerPaymentId } }', {}, WRITE);
    expect(literal.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input.amount' });
    expect(literal.errors![0]!.message).toBe('"input.amount" allows at most two decimals (kopecks), got "100.101"');
    const floatLiteral = await subgraph.gql('mutation { createPayment(input: { contractorId: "1", amount: 100.101 }) { customerPaymentId } }', {}, WRITE);
    expect(floatLiteral.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    // A JSON float in variables is refused: it was a binary float before the subgraph saw it.
    const float = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: '1', amount: 100.1 } }, WRITE);
    expect(float.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(float.errors![0]!.message).toContain('Pass Decimal values as strings');
    expect(jump.calls).toHaveLength(0);
  });

  it('money round-trips exactly: "100.10" stays "100.10", "100.1" and 100.1 (literal) become "100.10", 100 becomes "100.00"', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const viaString = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '100.10' } }, WRITE);
    expect(viaString.data.createPayment.payment.amount).toBe('100.10');
    const short = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '100.1' } }, WRITE);
    expect(short.data.createPayment.payment.amount).toBe('100.10');
    const literal = await subgraph.gql(`mutation { createPayment(input: { contractorId: "${id}", amount: 100.1 }) { payment { amount } } }`, {}, WRITE);
    expect(literal.data.createPayment.payment.amount).toBe('100.10');
    const integer = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: 100 } }, WRITE);
    expect(integer.data.createPayment.payment.amount).toBe('100.00');
    // On the wire to the vendor: the JSON number 100.1 (its shortest form), read back as "100.10".
    const stored = jump.payments().filter((payment) => payment.customer_payment_id === viaString.data.createPayment.customerPaymentId);
    expect(stored.map((payment) => payment.amount)).toEqual(['100.1']);
    const read = await subgraph.gql(`{ payment(id: "${viaString.data.createPayment.payment.id}") { amount } }`);
    expect(read.data.payment.amount).toBe('100.10');
  });

  it('the Jump.Finance key appears in no log line and no error', async () => {
    const { jump, subgraph } = env;
    jump.injectFault({ fault: { kind: 'status', status: 500 }, ops: ['contractors.get'], times: 3 });
    const failed = await subgraph.gql('{ contractor(id: "424242") { fullName } }');
    expect(failed.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: 'jump-finance', method: 'contractors.get', status: 500 });
    // A replica with a wrong key: the vendor's 401 is VENDOR_AUTH_FAILED, naming the variable, not the key.
    const wrong = await env.startReplica({ JUMP_API_KEY: 'wrong-key-0123456789abcdef' });
    const refused = await wrong.gql('{ contractor(id: "1") { fullName } }');
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_AUTH_FAILED', vendor: 'jump-finance', status: 401 });
    expect(refused.errors![0]!.message).toContain('JUMP_API_KEY');
    for (const text of [...subgraph.logs, ...wrong.logs, JSON.stringify(failed), JSON.stringify(refused)]) {
      expect(text).not.toContain(TEST_JUMP_KEY);
      expect(text).not.toContain('wrong-key-0123456789abcdef');
    }
    expect(subgraph.logs.join('\n')).toContain('Jump.Finance call failed');
  });
});
