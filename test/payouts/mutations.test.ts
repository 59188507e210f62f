import { describe, expect, it } from 'vitest';
import { CREATE_PAYMENT, TEST_JUMP_KEY, WRITE, addContractor, withPayouts } from '../support/payouts.ts';
import { TEST_ROUTER_SECRET } from '../support/subgraph.ts';

const UPSERT = /* GraphQL */ `
  mutation Upsert($input: ContractorInput!) {
    upsertContractor(input: $input) {
      id
      phone
      fullName
      legalForm
      inn
    }
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
    const attempts: Array<Record<string, string>> = [
      {},
      { 'x-user-scopes': 'openid payouts:read' },
      { 'x-user-scopes': 'payouts:writer,payouts' },
      { 'x-other-scopes': 'payouts:write' },
    ];
    for (const headers of attempts) {
      const result = await subgraph.gql(query, variables, headers);
      // Only the refused mutation is null.
      expect(result.data).toEqual({ [field]: null });
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
      const result = await subgraph.gql(
        UPSERT,
        { input: { phone: '+79030000001', lastName: 'Скоупов', firstName: 'Тест', legalForm: 'INDIVIDUAL' } },
        {
          'x-user-scopes': scopes,
        },
      );
      expect(result.errors).toBeUndefined();
    }
  });

  it('upsertContractor normalises the phone to +7XXXXXXXXXX and the vendor upserts by it', async () => {
    const { jump, subgraph } = env;
    const created = await subgraph.gql(
      UPSERT,
      { input: { phone: '8 (903) 555-12-34', lastName: 'Петров', firstName: 'Пётр', legalForm: 'INDIVIDUAL' } },
      WRITE,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.upsertContractor).toMatchObject({
      phone: '+79035551234',
      fullName: 'Петров Пётр',
      legalForm: 'INDIVIDUAL',
      inn: null,
    });
    for (const phone of ['+7 903 555 12 34', '79035551234', '9035551234', '+7(903)555-12-34']) {
      const again = await subgraph.gql(
        UPSERT,
        { input: { phone, lastName: 'Петров', firstName: 'Павел', legalForm: 'INDIVIDUAL' } },
        WRITE,
      );
      expect(again.data.upsertContractor).toMatchObject({
        id: created.data.upsertContractor.id,
        phone: '+79035551234',
        fullName: 'Петров Павел',
      });
    }
    const sent = jump.contractors().filter((contractor) => contractor.phone === '+79035551234');
    expect(sent).toHaveLength(1);
    // The vendor's body: the default group from GET /groups and the only legal entity from GET /agents.
    expect(jump.callsTo('groups.list')).toHaveLength(1);
    expect(jump.callsTo('agents.list')).toHaveLength(1);
  });

  it.each(['12345', '+8 903 555 12 34', '+7 903 555 12 3', 'phone', '8 903 555 12 34 5'])(
    'a phone like %j is BAD_USER_INPUT with no call',
    async (phone) => {
      env.jump.resetCalls();
      const result = await env.subgraph.gql(
        UPSERT,
        { input: { phone, lastName: 'Иванов', firstName: 'Иван', legalForm: 'INDIVIDUAL' } },
        WRITE,
      );
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.phone' });
      expect(env.jump.calls).toHaveLength(0);
    },
  );

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
      {
        id: String(id),
        input: {
          phone: '8-916-111-22-33',
          lastName: 'Новикова',
          firstName: 'Ольга',
          middleName: 'Петровна',
          email: 'olga@example.ru',
          legalForm: 'INDIVIDUAL',
        },
      },
      WRITE,
    );
    expect(updated.data.updateContractor).toEqual({
      id: String(id),
      phone: '+79161112233',
      fullName: 'Новикова Ольга Петровна',
      email: 'olga@example.ru',
    });
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
    const result = await replica.gql(
      UPSERT,
      { input: { phone: '+79031118888', lastName: 'Явный', firstName: 'Агент', legalForm: 'INDIVIDUAL', agentId: '1', groupId: '2' } },
      WRITE,
    );
    expect(result.errors).toBeUndefined();
    expect(env.jump.calls.map((call) => call.op)).toEqual(['contractors.upsert']);
  });

  it("the vendor's 422 field errors reach extensions.fieldErrors, not the message", async () => {
    const result = await env.subgraph.gql(
      UPSERT,
      { input: { phone: '+79031119999', lastName: 'Иванов', firstName: 'Иван', legalForm: 'INDIVIDUAL', groupId: '77' } },
      WRITE,
    );
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
    expect(first.data.syncSelfEmployedStatus).toEqual({
      isVerified: false,
      canPayTaxes: false,
      syncInProgress: true,
      message: { shortTitle: 'Идёт проверка' },
    });

    clock.advance(10_000);
    const second = await subgraph.gql(sync, {}, WRITE);
    expect(second.data).toEqual({ syncSelfEmployedStatus: null });
    expect(second.errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 20, contractorId: String(id) });
    expect(second.errors![0]!.message).toBe(
      'Jump.Finance allows one self-employed status check per 30 s per contractor; try again in 20 s',
    );
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

  it("a replica that does not share the store meets the vendor's 429 instead, answered as RATE_LIMITED too", async () => {
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

  it('a failed sync (5xx, timeout, 404) holds no window: the next one calls the vendor at once; a successful one does', async () => {
    const { jump } = env;
    // A replica with a short timeout and a memory of its own, so the window below is only what it learnt itself.
    const replica = await env.startReplica({ JUMP_TIMEOUT: '1s' });
    const id = addContractor(jump, { legal_form_id: 2, inn: '001234567887', company_agrees_pay_taxes: true });
    const sync = `mutation { syncSelfEmployedStatus(contractorId: "${id}") { syncInProgress } }`;
    jump.resetCalls();

    jump.injectFault({ fault: { kind: 'status', status: 503 }, ops: ['selfemployer.sync'], times: 1 });
    const unavailable = await replica.gql(sync, {}, WRITE);
    expect(unavailable.errors![0]!.extensions).toEqual({
      code: 'VENDOR_UNAVAILABLE',
      vendor: 'jump-finance',
      method: 'selfemployer.sync',
      status: 503,
    });
    jump.injectFault({ fault: { kind: 'hang' }, ops: ['selfemployer.sync'], times: 1 });
    const timedOut = await replica.gql(sync, {}, WRITE);
    expect(timedOut.errors![0]!.extensions).toEqual({ code: 'VENDOR_TIMEOUT', vendor: 'jump-finance', method: 'selfemployer.sync' });
    const synced = await replica.gql(sync, {}, WRITE);
    expect(synced.errors).toBeUndefined();
    expect(synced.data.syncSelfEmployedStatus).toEqual({ syncInProgress: true });
    expect(jump.callsTo('selfemployer.sync').map((call) => call.status)).toEqual([503, 0, 200]);

    // Only the success started the window: the next request is answered here, with the full 30 s to wait.
    const limited = await replica.gql(sync, {}, WRITE);
    expect(limited.errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 30, contractorId: String(id) });
    expect(jump.callsTo('selfemployer.sync')).toHaveLength(3);

    // An unknown contractor: NOT_FOUND each time, each time asked.
    const unknown = 'mutation { syncSelfEmployedStatus(contractorId: "987654") { syncInProgress } }';
    for (let attempt = 0; attempt < 2; attempt++) {
      const missing = await replica.gql(unknown, {}, WRITE);
      expect(missing.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND', contractorId: '987654' });
    }
    expect(jump.callsTo('selfemployer.sync').map((call) => `${call.path} ${call.status}`)).toEqual([
      `/contractors/${id}/selfemployer/sync 503`,
      `/contractors/${id}/selfemployer/sync 0`,
      `/contractors/${id}/selfemployer/sync 200`,
      '/contractors/987654/selfemployer/sync 404',
      '/contractors/987654/selfemployer/sync 404',
    ]);
  });

  it("the vendor's own 429 starts the window, as long as its Retry-After", async () => {
    const { jump, clock } = env;
    const replica = await env.startReplica();
    const id = addContractor(jump, { legal_form_id: 2, inn: '001234567887' });
    const sync = `mutation { syncSelfEmployedStatus(contractorId: "${id}") { syncInProgress } }`;
    jump.resetCalls();
    jump.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 12 }, ops: ['selfemployer.sync'], times: 1 });
    const refused = await replica.gql(sync, {}, WRITE);
    expect(refused.errors![0]!.message).toBe('Jump.Finance refused the self-employed status check: it was asked too recently');
    expect(refused.errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 12, contractorId: String(id) });
    clock.advance(2_000);
    const local = await replica.gql(sync, {}, WRITE);
    expect(local.errors![0]!.message).toBe('Jump.Finance allows one self-employed status check per 30 s per contractor; try again in 10 s');
    expect(local.errors![0]!.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 10, contractorId: String(id) });
    expect(jump.callsTo('selfemployer.sync')).toHaveLength(1);
    clock.advance(10_000);
    expect((await replica.gql(sync, {}, WRITE)).errors).toBeUndefined();
    expect(jump.callsTo('selfemployer.sync').map((call) => call.status)).toEqual([429, 200]);
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
      {
        input: {
          contractorId: String(id),
          amount: '10.00',
          purpose: 'Договор 12/2024 от 01.02.2026, ИНН 7707083893, тел. +79031112233, счёт 40817810099910004312',
        },
      },
      WRITE,
    );
    expect(fine.errors).toBeUndefined();
  });

  it("a customerPaymentId outside the vendor's alphabet or over 36 characters is refused", async () => {
    env.jump.resetCalls();
    for (const key of ['платёж-1', 'a/b', 'x'.repeat(37), 'pay#1', '']) {
      const result = await env.subgraph.gql(
        CREATE_PAYMENT,
        { input: { contractorId: '1', amount: '1.00', customerPaymentId: key } },
        WRITE,
      );
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.customerPaymentId' });
    }
    expect(env.jump.calls).toHaveLength(0);
  });

  it('amounts: positive, at most two decimals, bounded; refused on the field with no call', async () => {
    const { jump, subgraph } = env;
    jump.resetCalls();
    const cases: Array<[string, string]> = [
      ['0', '"input.amount" must be positive, got "0.00"'],
      ['0.00', '"input.amount" must be positive, got "0.00"'],
      ['100000000.01', '"input.amount" must not exceed 100000000.00, got "100000000.01"'],
      ['0.001', '"input.amount" allows at most two decimals (kopecks), got "0.001"'],
      [
        'abc',
        '"input.amount" must be a sum written as digits with at most two decimals, e.g. "100.10" (no spaces, sign or exponent), got "abc"',
      ],
    ];
    for (const [amount, message] of cases) {
      const result = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: '1', amount } }, WRITE);
      expect(result.errors![0]!.message).toBe(message);
      expect(result.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'input.amount' });
    }
    expect(jump.calls).toHaveLength(0);
  });

  describe('Decimal input exactly as documented: anything else is BAD_USER_INPUT on the field, HTTP 200, no vendor call', () => {
    const DIGITS = '"input.amount" must be a sum written as digits with at most two decimals, e.g. "100.10" (no spaces, sign or exponent)';

    /** A raw POST, to see the HTTP status (the router's secret sent as the router would). */
    async function post(query: string, variables: Record<string, unknown>) {
      const response = await fetch(`${env.subgraph.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'router-authorization': TEST_ROUTER_SECRET, ...WRITE },
        body: JSON.stringify({ query, variables }),
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          data?: any;
          errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
        },
      };
    }

    const asVariable: Array<[string, unknown, string]> = [
      ['a leading space', ' 10', `${DIGITS}, got " 10"`],
      ['a trailing space', '10 ', `${DIGITS}, got "10 "`],
      ['a sign', '-5', `${DIGITS}, got "-5"`],
      ['a leading plus', '+1', `${DIGITS}, got "+1"`],
      ['an exponent', '1e3', `${DIGITS}, got "1e3"`],
      ['three decimals', '10.123', '"input.amount" allows at most two decimals (kopecks), got "10.123"'],
      [
        'a JSON float',
        1.5,
        '"input.amount" must be a string in variables (e.g. "100.10"): the JSON number 1.5 was already rounded by JSON parsing',
      ],
      [
        'a JSON number past safe integers',
        Number('9007199254740993'),
        '"input.amount" must be a string in variables (e.g. "100.10"): the JSON number 9007199254740992 was already rounded by JSON parsing',
      ],
      [
        'a negative JSON integer',
        -5,
        '"input.amount" must be a string in variables (e.g. "100.10"): the JSON number -5 was already rounded by JSON parsing',
      ],
      [
        'a JSON integer',
        7,
        '"input.amount" must be a string in variables (e.g. "100.10"): the JSON number 7 was already rounded by JSON parsing',
      ],
      [
        'a JSON float that rounds to an integer',
        Number('1499.9999999999999'),
        '"input.amount" must be a string in variables (e.g. "100.10"): the JSON number 1500 was already rounded by JSON parsing',
      ],
      ['a boolean', true, '"input.amount" must be a string like "100.10", got a boolean'],
    ];

    it.each(asVariable)('in variables: %s', async (_label, amount, message) => {
      env.jump.resetCalls();
      const { status, body } = await post(CREATE_PAYMENT, { input: { contractorId: '1', amount } });
      expect(status).toBe(200);
      // Only the refused field is null.
      expect(body.data).toEqual({ createPayment: null });
      expect(body.errors).toEqual([
        {
          message,
          locations: [{ line: 3, column: 5 }],
          path: ['createPayment'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'input.amount' },
        },
      ]);
      expect(env.jump.calls).toEqual([]);
    });

    const asLiteral: Array<[string, string, string]> = [
      ['a leading space', '" 10"', `${DIGITS}, got " 10"`],
      ['a trailing space', '"10 "', `${DIGITS}, got "10 "`],
      ['a sign', '"-5"', `${DIGITS}, got "-5"`],
      ['a leading plus', '"+1"', `${DIGITS}, got "+1"`],
      ['an exponent', '"1e3"', `${DIGITS}, got "1e3"`],
      ['three decimals', '"10.123"', '"input.amount" allows at most two decimals (kopecks), got "10.123"'],
      ['a float literal', '1.5', '"input.amount" must be a string (e.g. "100.10") or an integer, not the float literal 1.5'],
      ['a negative integer literal', '-5', `${DIGITS}, got "-5"`],
    ];

    it.each(asLiteral)('as a literal: %s', async (_label, amount, message) => {
      env.jump.resetCalls();
      const { status, body } = await post(
        `mutation { createPayment(input: { contractorId: "1", amount: ${amount} }) { customerPaymentId } }`,
        {},
      );
      expect(status).toBe(200);
      // Only the refused field is null.
      expect(body.data).toEqual({ createPayment: null });
      expect(body.errors).toEqual([
        {
          message,
          locations: [{ line: 1, column: 12 }],
          path: ['createPayment'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'input.amount' },
        },
      ]);
      expect(env.jump.calls).toEqual([]);
    });

    it('documented input pays: "10", "10.5", "10.50" in variables and an integer literal', async () => {
      const { jump, subgraph } = env;
      const id = String(addContractor(jump));
      const amounts: string[] = [];
      for (const amount of ['10', '10.5', '10.50', '7']) {
        const result = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount } }, WRITE);
        expect(result.errors).toBeUndefined();
        amounts.push(result.data.createPayment.payment.amount);
      }
      const literal = await subgraph.gql(
        `mutation { createPayment(input: { contractorId: "${id}", amount: 12 }) { payment { amount } } }`,
        {},
        WRITE,
      );
      amounts.push(literal.data.createPayment.payment.amount);
      expect(amounts).toEqual(['10.00', '10.50', '10.50', '7.00', '12.00']);
    });
  });

  it('money round-trips exactly: "100.10" stays "100.10", "100.1" becomes "100.10", the literal 100 becomes "100.00"', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const viaString = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '100.10' } }, WRITE);
    expect(viaString.data.createPayment.payment.amount).toBe('100.10');
    const short = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '100.1' } }, WRITE);
    expect(short.data.createPayment.payment.amount).toBe('100.10');
    const integer = await subgraph.gql(
      `mutation { createPayment(input: { contractorId: "${id}", amount: 100 }) { payment { amount } } }`,
      {},
      WRITE,
    );
    expect(integer.data.createPayment.payment.amount).toBe('100.00');
    // A JSON number in variables is refused: JSON parsing may already have rounded it (1499.9999999999999 → 1500).
    const calls = jump.calls.length;
    const rounded = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: Number('1499.9999999999999') } }, WRITE);
    expect(rounded.errors!.map((error) => [error.extensions!.code, error.extensions!.argument])).toEqual([
      ['BAD_USER_INPUT', 'input.amount'],
    ]);
    expect(jump.calls.length).toBe(calls);
    // On the wire to the vendor: the JSON number 100.1 (its shortest form), read back as "100.10".
    const stored = jump.payments().filter((payment) => payment.customer_payment_id === viaString.data.createPayment.customerPaymentId);
    expect(stored.map((payment) => payment.amount)).toEqual(['100.1']);
    const read = await subgraph.gql(`{ payment(id: "${viaString.data.createPayment.payment.id}") { amount } }`);
    expect(read.data.payment.amount).toBe('100.10');
  });

  it('a vendor echoing the Client-Key (title, detail, field error, header): the key is in no answer and no log line, not even 8 characters of it', async () => {
    const { jump } = env;
    // A fresh replica: its log holds only what this test caused.
    const replica = await env.startReplica();
    const input = { input: { phone: '+79031230000', lastName: 'Ключев', firstName: 'Иван', legalForm: 'INDIVIDUAL' } };
    /** The vendor's title and detail as passed on: the key masked, then cut to 200 characters. */
    const detail = `Ошибка ключа ***: ${'Ключ доступа не принят сервером, обратитесь в поддержку и сообщите им значение заголовка. '.repeat(2)}*…`;
    const answers: unknown[] = [];
    const headers: string[] = [];
    const call = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(`${replica.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'router-authorization': TEST_ROUTER_SECRET, ...WRITE },
        body: JSON.stringify({ query, variables }),
      });
      headers.push(JSON.stringify([...response.headers]));
      const body = (await response.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
      answers.push(body);
      return body.errors[0]!;
    };

    jump.injectFault({ fault: { kind: 'echoKey' }, ops: ['contractors.upsert'], times: 1 });
    const refused = await call(UPSERT, input);
    expect(refused.message).toBe(`Jump.Finance refused contractors.upsert (HTTP 422: ${detail})`);
    expect(refused.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      vendor: 'jump-finance',
      method: 'contractors.upsert',
      status: 422,
      fieldErrors: [{ field: 'client_key', messages: ['Ключ *** недействителен.'] }],
    });
    jump.injectFault({ fault: { kind: 'echoKey', status: 401 }, ops: ['contractors.upsert'], times: 1 });
    const rejected = await call(UPSERT, input);
    expect(rejected.message).toBe(`Jump.Finance refused the call (HTTP 401: ${detail}); check JUMP_API_KEY and its rights`);
    jump.injectFault({ fault: { kind: 'echoKey', status: 500 }, ops: ['contractors.upsert'], times: 1 });
    const failed = await call(UPSERT, input);
    expect(failed.message).toBe('Jump.Finance contractors.upsert is unavailable (HTTP 500)');
    jump.injectFault({ fault: { kind: 'echoKey' }, ops: ['contractors.get'], times: 1 });
    const read = await call('{ contractor(id: "1") { id } }', {});
    expect(read.message).toBe(`Jump.Finance refused contractors.get (HTTP 422: ${detail})`);

    // The detail was logged, masked, for each of the four calls.
    const logged = replica.logs.filter((line) => line.includes('Jump.Finance call failed'));
    expect(logged.map((line) => (JSON.parse(line) as { status: number; detail: string }).status)).toEqual([422, 401, 500, 422]);
    expect(logged.every((line) => (JSON.parse(line) as { detail: string }).detail === detail)).toBe(true);
    const windows = Array.from({ length: TEST_JUMP_KEY.length - 7 }, (_, index) => TEST_JUMP_KEY.slice(index, index + 8));
    for (const text of [...replica.logs, ...answers.map((answer) => JSON.stringify(answer)), ...headers]) {
      for (const window of windows) expect(text).not.toContain(window);
    }
  });

  it('vendor field errors pass an allow-list: field-like names only, messages redacted then cut to 200, at most 20 of 5 messages', async () => {
    const { jump, subgraph } = env;
    const many = Array.from({ length: 25 }, (_, index) => ({ field: `f${index + 1}`, messages: [`Ошибка ${index + 1}`] }));
    jump.injectFault({
      fault: {
        kind: 'errorBody',
        status: 422,
        error: {
          title: 'Ошибка',
          detail: 'The given data was invalid.',
          fields: [
            { field: 'amount', messages: ['Сумма для карты 4111 1111 1111 1111 и телефона +79031112233 неверна', 'x'.repeat(300)] },
            { field: '<script>alert(1)</script>', messages: ['dropped'] },
            { field: 'a b', messages: ['dropped'] },
            { field: 'y'.repeat(65), messages: ['dropped'] },
            { field: 'requisite.account_number', messages: ['Номер\u0000счёта\nневерен', '   '] },
            { field: 'job_types[0].price', messages: ['1', '2', '3', '4', '5', '6', '7'] },
            {
              field: 'customer_payment_id',
              messages: [`${'z'.repeat(190)}${TEST_JUMP_KEY}`, `${'z'.repeat(180)}${TEST_JUMP_KEY.slice(0, 20)}`],
            },
            ...many,
          ],
          code: 422,
        },
      },
      ops: ['contractors.upsert'],
      times: 1,
    });
    const result = await subgraph.gql(
      UPSERT,
      { input: { phone: '+79031230001', lastName: 'Полев', firstName: 'Иван', legalForm: 'INDIVIDUAL' } },
      WRITE,
    );
    expect(result.errors![0]!.message).toBe('Jump.Finance refused contractors.upsert (HTTP 422: Ошибка: The given data was invalid.)');
    expect(result.errors![0]!.extensions!.fieldErrors).toEqual([
      { field: 'amount', messages: ['Сумма для карты •••• 1111 и телефона +# неверна', `${'x'.repeat(199)}…`] },
      { field: 'requisite.account_number', messages: ['Номер счёта неверен'] },
      { field: 'job_types[0].price', messages: ['1', '2', '3', '4', '5'] },
      { field: 'customer_payment_id', messages: [`${'z'.repeat(190)}***`, `${'z'.repeat(180)}***`] },
      ...many.slice(0, 16),
    ]);
  });

  it('the Jump.Finance key appears in no log line and no error', async () => {
    const { jump, subgraph } = env;
    jump.injectFault({ fault: { kind: 'status', status: 500 }, ops: ['contractors.get'], times: 3 });
    const failed = await subgraph.gql('{ contractor(id: "424242") { fullName } }');
    expect(failed.errors![0]!.extensions).toMatchObject({
      code: 'VENDOR_UNAVAILABLE',
      vendor: 'jump-finance',
      method: 'contractors.get',
      status: 500,
    });
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
