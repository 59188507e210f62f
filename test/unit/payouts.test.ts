import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError, Kind, parse, type TypeNode } from 'graphql';
import { loadConfig } from '../../src/app/config.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { parseScopes } from '../../src/modules/payouts/auth.ts';
import { DecimalScalar, InvalidDecimal, exactMoney } from '../../src/common/decimal.ts';
import { maskAccount, paymentStatusOf } from '../../src/modules/payouts/mapping.ts';
import { checkWindow, planPages } from '../../src/modules/payouts/paging.ts';
import { checkAmount, checkCustomerPaymentId, derivedCustomerPaymentId, normalizePhone } from '../../src/modules/payouts/validation.ts';
import { startSandboxes } from '../../src/app/sandbox.ts';
import { looksLikeCardNumber, luhnValid } from '../../src/modules/payouts/vendor/card.ts';
import { jsonMoney, parseJson, stringifyJson } from '../../src/modules/payouts/vendor/json.ts';
import { canonicalMoney, formatKopecks, kopecksOf, minimalKopecksText } from '../../src/domain/money.ts';
import { JumpPaymentSchema } from '../../src/modules/payouts/vendor/schemas.ts';
import { moscowIso } from '../../src/modules/payouts/vendor/time.ts';
import { TEST_ROUTER_SECRET, withSubgraph } from '../support/subgraph.ts';
import { WRITE } from '../support/payouts.ts';

describe('money without binary floats', () => {
  it.each([
    ['100', 10000n],
    ['100.1', 10010n],
    ['100.10', 10010n],
    ['0.01', 1n],
    ['-5.5', -550n],
    ['1e2', 10000n],
    ['1.5E1', 1500n],
    ['99999999999999999.99', 9999999999999999999n],
  ])('kopecksOf(%j) = %s', (text, kopecks) => {
    expect(kopecksOf(text)).toEqual({ ok: true, kopecks });
  });

  it('refuses more than two decimals exactly, rounds them half away from zero on request', () => {
    expect(kopecksOf('100.101')).toEqual({ ok: false, reason: 'too-precise' });
    expect(kopecksOf('100.100')).toEqual({ ok: true, kopecks: 10010n });
    expect(kopecksOf('6.006', 'round')).toEqual({ ok: true, kopecks: 601n });
    expect(kopecksOf('6.005', 'round')).toEqual({ ok: true, kopecks: 601n });
    expect(kopecksOf('-6.005', 'round')).toEqual({ ok: true, kopecks: -601n });
    expect(kopecksOf('abc')).toEqual({ ok: false, reason: 'not-a-number' });
    expect(kopecksOf('1e400')).toEqual({ ok: false, reason: 'not-a-number' });
  });

  it('formats two decimals, and the shortest JSON form', () => {
    expect(formatKopecks(10010n)).toBe('100.10');
    expect(formatKopecks(5n)).toBe('0.05');
    expect(formatKopecks(-550n)).toBe('-5.50');
    expect(minimalKopecksText(10010n)).toBe('100.1');
    expect(minimalKopecksText(10000n)).toBe('100');
    expect(minimalKopecksText(1485n)).toBe('14.85');
    expect(canonicalMoney('14.8')).toBe('14.80');
  });

  it('lossless JSON: 0.1 + 0.2 sums and 17-digit amounts keep their digits both ways', () => {
    const parsed = JumpPaymentSchema.parse(
      (
        parseJson(
          '{"item":{"id":1,"amount":99999999999999999.99,"amount_paid":0.30000000000000004,"is_final":false,"status":{"id":3,"title":"в обработке"}}}',
        ) as { item: unknown }
      ).item,
    );
    expect(parsed.amount).toBe('99999999999999999.99');
    expect(parsed.amount_paid).toBe('0.30');
    expect(stringifyJson({ amount: jsonMoney('100.10') })).toBe('{"amount":100.1}');
    expect(stringifyJson({ amount: jsonMoney('99999999999999999.99') })).toBe('{"amount":99999999999999999.99}');
    expect(() => jsonMoney('1.001')).toThrow(TypeError);
  });
});

describe('the Decimal scalar', () => {
  const literal = (kind: Kind.STRING | Kind.INT | Kind.FLOAT, value: string) => DecimalScalar.parseLiteral({ kind, value }, {});

  it('serialises two decimals and refuses floats', () => {
    expect(DecimalScalar.serialize('100.1')).toBe('100.10');
    expect(DecimalScalar.serialize('100.10')).toBe('100.10');
    expect(DecimalScalar.serialize(10010n)).toBe('100.10');
    expect(() => DecimalScalar.serialize(100.1)).toThrow(TypeError);
    expect(() => DecimalScalar.serialize('100.101')).toThrow(TypeError);
  });

  it('parses documented input exactly; anything else parses to an InvalidDecimal that exactMoney refuses', () => {
    expect(DecimalScalar.parseValue('10')).toBe('10.00');
    expect(DecimalScalar.parseValue('10.5')).toBe('10.50');
    expect(DecimalScalar.parseValue('10.50')).toBe('10.50');
    expect(DecimalScalar.parseValue('0.01')).toBe('0.01');
    expect(literal(Kind.INT, '7')).toBe('7.00');
    expect(literal(Kind.STRING, '0.5')).toBe('0.50');
    // Never a parse-time throw: literals and variables both end on the field, which names the argument.
    const refused: Array<[unknown, string]> = [
      [
        ' 10',
        '"input.amount" must be a sum written as digits with at most two decimals, e.g. "100.10" (no spaces, sign or exponent), got " 10"',
      ],
      [
        '10 ',
        '"input.amount" must be a sum written as digits with at most two decimals, e.g. "100.10" (no spaces, sign or exponent), got "10 "',
      ],
      [
        '-5',
        '"input.amount" must be a sum written as digits with at most two decimals, e.g. "100.10" (no spaces, sign or exponent), got "-5"',
      ],
      [
        '+1',
        '"input.amount" must be a sum written as digits with at most two decimals, e.g. "100.10" (no spaces, sign or exponent), got "+1"',
      ],
      [
        '1e3',
        '"input.amount" must be a sum written as digits with at most two decimals, e.g. "100.10" (no spaces, sign or exponent), got "1e3"',
      ],
      [
        '12,50',
        '"input.amount" must be a sum written as digits with at most two decimals, e.g. "100.10" (no spaces, sign or exponent), got "12,50"',
      ],
      ['', '"input.amount" must be a sum written as digits with at most two decimals, e.g. "100.10" (no spaces, sign or exponent), got ""'],
      ['10.123', '"input.amount" allows at most two decimals (kopecks), got "10.123"'],
      ['10.100', '"input.amount" allows at most two decimals (kopecks), got "10.100"'],
      [1.5, '"input.amount" must be a string in variables (e.g. "100.10"): the JSON number 1.5 was already rounded by JSON parsing'],
      [
        2 ** 53,
        '"input.amount" must be a string in variables (e.g. "100.10"): the JSON number 9007199254740992 was already rounded by JSON parsing',
      ],
      [-5, '"input.amount" must be a string in variables (e.g. "100.10"): the JSON number -5 was already rounded by JSON parsing'],
      [100, '"input.amount" must be a string in variables (e.g. "100.10"): the JSON number 100 was already rounded by JSON parsing'],
      [true, '"input.amount" must be a string like "100.10", got a boolean'],
    ];
    for (const [input, message] of refused) {
      const parsed = DecimalScalar.parseValue(input);
      expect(parsed).toBeInstanceOf(InvalidDecimal);
      expect(() => exactMoney(parsed, 'input.amount')).toThrow(message);
    }
    const floatLiteral = literal(Kind.FLOAT, '1.5');
    expect(floatLiteral).toBeInstanceOf(InvalidDecimal);
    expect(() => exactMoney(floatLiteral, 'input.amount')).toThrow(
      '"input.amount" must be a string (e.g. "100.10") or an integer, not the float literal 1.5',
    );
    expect(literal(Kind.INT, '-5')).toBeInstanceOf(InvalidDecimal);
    // A long input is echoed only as a short, cut prefix.
    expect(() => exactMoney('9'.repeat(100) + 'x', 'input.amount')).toThrow(`got "${'9'.repeat(39)}…"`);
    expect(() => exactMoney('100.101', 'input.amount')).toThrow('"input.amount" allows at most two decimals (kopecks), got "100.101"');
  });

  it('every Decimal argument of the schema is one that passes through exactMoney', () => {
    // Only CreatePaymentInput.amount takes a Decimal, and Mutation.createPayment reads it through checkAmount. A new
    // Decimal argument must be read through exactMoney too: this list is the reminder.
    const documents = readdirSync('schema')
      .filter((name) => name.endsWith('.graphql'))
      .map((name) => parse(readFileSync(join('schema', name), 'utf8')));
    const named = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : named(type.type));
    const decimalInputs: string[] = [];
    for (const definition of documents.flatMap((document) => document.definitions)) {
      if (!('fields' in definition) || !definition.fields || !('name' in definition)) continue;
      for (const field of definition.fields) {
        // Input object fields, and arguments of object fields.
        if (field.kind === Kind.INPUT_VALUE_DEFINITION && named(field.type) === 'Decimal')
          decimalInputs.push(`${definition.name.value}.${field.name.value}`);
        if (field.kind !== Kind.FIELD_DEFINITION) continue;
        for (const argument of field.arguments ?? []) {
          if (named(argument.type) === 'Decimal')
            decimalInputs.push(`${definition.name.value}.${field.name.value}(${argument.name.value})`);
        }
      }
    }
    expect(decimalInputs).toEqual(['CreatePaymentInput.amount']);
  });

  it('checkAmount: positive, two decimals, bounded', () => {
    expect(checkAmount('100.10')).toBe('100.10');
    expect(checkAmount('0.01')).toBe('0.01');
    for (const bad of ['0.00', '-1.00', '100.101', '100000000.01']) expect(() => checkAmount(bad)).toThrow(GraphQLError);
  });
});

describe('input rules', () => {
  it.each([
    ['+79031112233', '+79031112233'],
    ['+7 (903) 111-22-33', '+79031112233'],
    ['8 903 111 22 33', '+79031112233'],
    ['89031112233', '+79031112233'],
    ['79031112233', '+79031112233'],
    ['9031112233', '+79031112233'],
    ['(903) 111.22.33', '+79031112233'],
  ])('normalizePhone(%j) = %s', (input, phone) => {
    expect(normalizePhone(input)).toBe(phone);
  });

  it.each(['+89031112233', '+7903111223', '903111223', '+1 202 555 0100', '8903111223344', 'tel:89031112233', ''])(
    'normalizePhone(%j) is BAD_USER_INPUT',
    (input) => {
      expect(() => normalizePhone(input)).toThrow(GraphQLError);
    },
  );

  it('card numbers: 13–19 digits, grouped or not, passing Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    for (const text of [
      '4111111111111111',
      '4111 1111 1111 1111',
      '4111-1111-1111-1111',
      'card:5469550053219652!',
      '2202 2010 8043 1519',
    ]) {
      expect(looksLikeCardNumber(text)).toBe(true);
    }
    for (const text of [
      '4111 1111 1111 1112',
      '+79031112233',
      '7707083893',
      '40817810099910004312',
      '9f0bb7b7-e5cd-4725-8080-4c230ec702ad',
      'Договор 12/2024',
    ]) {
      expect(looksLikeCardNumber(text)).toBe(false);
    }
  });

  it('a key derived from the operation: sha256 of "<requestId>:<path>" as a version-8 UUID, never card-like', () => {
    // sha256("req-2026-03-02-0001:createPayment") = d509307e914a14b760c10f82356a1885…
    expect(derivedCustomerPaymentId('req-2026-03-02-0001', 'createPayment')).toBe('d509307e-914a-84b7-a0c1-0f82356a1885');
    expect(derivedCustomerPaymentId('req-2026-03-02-0002', 'a')).toBe('8ee4b23e-0632-843d-9129-459abac0ef10');
    expect(derivedCustomerPaymentId('req-2026-03-02-0002', 'b')).toBe('9b754495-b0a0-851d-8aa1-c80b1ad42db4');
    // "probe-226" first derives 73f68446-9777-8723-…, whose "68446-9777-8723" is a Luhn-valid 13-digit chain: derived again.
    expect(looksLikeCardNumber('73f68446-9777-8723-a5ed-f31cf4b12aab')).toBe(true);
    expect(derivedCustomerPaymentId('probe-226', 'createPayment')).toBe('4fdd925e-d203-87d1-b600-02284ab12e37');
    expect(checkCustomerPaymentId(derivedCustomerPaymentId('probe-226', 'createPayment'))).toBe('4fdd925e-d203-87d1-b600-02284ab12e37');
  });

  it('scopes: space- or comma-separated', () => {
    expect([...parseScopes('openid payouts:write')]).toEqual(['openid', 'payouts:write']);
    expect([...parseScopes(' a,b ,  c\td ')]).toEqual(['a', 'b', 'c', 'd']);
    expect(parseScopes(undefined).size).toBe(0);
  });

  it('masks account numbers to the last four', () => {
    expect(maskAccount('2202201080431519')).toBe('•••• 1519');
    expect(maskAccount('+79031112233')).toBe('•••• 2233');
    expect(maskAccount(null)).toBeNull();
  });

  it('status ids map to the enum; 7 and new ids are UNKNOWN', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(paymentStatusOf)).toEqual([
      'PAID',
      'REJECTED',
      'PROCESSING',
      'AWAITING_CONFIRMATION',
      'FAILED',
      'DELETED',
      'UNKNOWN',
      'AWAITING_SIGNATURE',
      'UNKNOWN',
    ]);
  });

  it("the vendor's timestamps: Moscow time with offset, to the second", () => {
    expect(moscowIso(Date.parse('2026-03-02T09:00:00.999Z'))).toBe('2026-03-02T12:00:00+03:00');
  });
});

describe('paging onto the per_page enum', () => {
  it.each([
    [
      { first: 20, start: 0 },
      { perPage: 20, pages: [1] },
    ],
    [
      { first: 2, start: 2 },
      { perPage: 2, pages: [2] },
    ],
    [
      { first: 100, start: 50 },
      { perPage: 150, pages: [1] },
    ],
    [
      { first: 40, start: 10 },
      { perPage: 50, pages: [1] },
    ],
    [
      { first: 7, start: 0 },
      { perPage: 10, pages: [1] },
    ],
    [
      { first: 200, start: 100 },
      { perPage: 200, pages: [1, 2] },
    ],
    [
      { first: 0, start: 0 },
      { perPage: 1, pages: [] },
    ],
  ])('planPages(%j) = %j', (window, plan) => {
    expect(planPages(window)).toEqual(plan);
  });

  it('cursors are tied to their list', () => {
    const cursor = Buffer.from('payments:9').toString('base64url');
    expect(checkWindow('payments', 10, cursor)).toEqual({ first: 10, start: 10 });
    expect(checkWindow('payments', undefined, undefined)).toEqual({ first: 50, start: 0 });
    expect(() => checkWindow('contractors', 10, cursor)).toThrow(GraphQLError);
    expect(() => checkWindow('payments', 201, undefined)).toThrow(GraphQLError);
  });
});

describe('payouts configuration and sandbox', () => {
  it('reads every payouts variable, with defaults', () => {
    const config = loadConfig({});
    expect(config.payouts).toEqual({
      apiKey: undefined,
      baseUrl: 'https://api.jump.finance/services/openapi',
      timeoutMs: 10_000,
      retries: 2,
      maxConcurrency: 4,
      breaker: { errorPercent: 50, minCalls: 5, windowMs: 30_000, resetMs: 30_000 },
      agentId: undefined,
      groupId: undefined,
      statusRefreshMs: 60_000,
      actionNeededRefreshMs: 900_000,
      finalPaymentsTtlMs: 30 * 86_400_000,
      contractorsTtlMs: 600_000,
      guard: 'warn',
      scopesHeader: 'x-user-scopes',
    });
    const custom = loadConfig({
      PAYOUT_GUARD: 'block',
      AUTH_SCOPES_HEADER: 'X-Scopes',
      JUMP_AGENT_ID: '61',
      JUMP_STATUS_REFRESH: '5m',
      JUMP_BASE_URL: 'http://jump.test/api/',
    });
    expect(custom.payouts).toMatchObject({
      guard: 'block',
      scopesHeader: 'x-scopes',
      agentId: 61,
      statusRefreshMs: 300_000,
      baseUrl: 'http://jump.test/api',
    });
  });

  it('refuses a status refresh faster than the vendor allows, and unknown guard modes', () => {
    expect(() => loadConfig({ JUMP_STATUS_REFRESH: '30s' })).toThrow(/JUMP_STATUS_REFRESH: must be at least 1m/);
    expect(() => loadConfig({ PAYOUT_GUARD: 'strict' })).toThrow(/PAYOUT_GUARD/);
    expect(() => loadConfig({ AUTH_SCOPES_HEADER: 'x scopes' })).toThrow(/AUTH_SCOPES_HEADER/);
  });

  it('without JUMP_API_KEY the sandbox starts the emulator — but never in production', async () => {
    const logger = createLogger('silent');
    // Kontur.Focus has a key here, so only the payouts emulator is wanted.
    const sandbox = await startSandboxes(loadConfig({ FOCUS_API_KEY: 'focus-key-0123' }), logger);
    try {
      expect(sandbox.vendors).toEqual({
        'kontur-focus': 'live',
        tbank: 'not configured',
        'jump-finance': 'sandbox',
        bitrix24: 'not configured',
      });
      const { apiKey, baseUrl } = sandbox.config.payouts;
      expect(apiKey).toMatch(/^[0-9a-f]{32}$/);
      const groups = await fetch(`${baseUrl}/groups`, { headers: { 'client-key': apiKey! } });
      expect(groups.status).toBe(200);
    } finally {
      await sandbox.close();
    }
    const production = await startSandboxes(loadConfig({ NODE_ENV: 'production' }), logger);
    expect(production.vendors).toEqual({
      'kontur-focus': 'not configured',
      tbank: 'not configured',
      'jump-finance': 'not configured',
      bitrix24: 'not configured',
    });
    expect(production.config.payouts).toMatchObject({ baseUrl: 'https://api.jump.finance/services/openapi', apiKey: undefined });
    // A real key needs ROUTER_SECRET in every NODE_ENV (payout mutations trust the router's scope header).
    expect(() => loadConfig({ JUMP_API_KEY: 'k-123456' })).toThrow(/ROUTER_SECRET: required when JUMP_API_KEY is set/);
    const real = await startSandboxes(
      loadConfig({ JUMP_API_KEY: 'k-123456', ROUTER_SECRET: TEST_ROUTER_SECRET, FOCUS_API_KEY: 'focus-key-0123' }),
      logger,
    );
    expect(real.vendors['jump-finance']).toBe('live');
    expect(real.config.payouts).toMatchObject({ baseUrl: 'https://api.jump.finance/services/openapi', apiKey: 'k-123456' });
  });
});

describe('a subgraph without Jump.Finance configured', () => {
  const env = withSubgraph();

  it('answers payouts fields with VENDOR_UNAVAILABLE (notConfigured) and sends nothing', async () => {
    const result = await env.subgraph.gql('{ payments(first: 1) { totalCount } contractor(id: "1") { fullName } }');
    expect(result.data).toEqual({ payments: null, contractor: null });
    expect(result.errors!.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'VENDOR_UNAVAILABLE', vendor: 'jump-finance', notConfigured: true }),
      expect.objectContaining({ code: 'VENDOR_UNAVAILABLE', vendor: 'jump-finance', notConfigured: true }),
    ]);
    // Scope still comes first for mutations.
    const forbidden = await env.subgraph.gql('mutation { repeatPayment(id: "1") { id } }');
    expect(forbidden.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const allowed = await env.subgraph.gql('mutation { repeatPayment(id: "1") { id } }', {}, WRITE);
    expect(allowed.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', notConfigured: true });
  });
});
