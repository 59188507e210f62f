import { describe, expect, it } from 'vitest';
import { legalEntityInns } from '../support/inns.ts';
import { TEST_FOCUS_KEY, withSubgraph } from '../support/subgraph.ts';

const COMPANY = `query ($inn: String!) { company(inn: $inn) { inn shortName } }`;

describe("a response that is not the vendor's shape is an error, never an answer", () => {
  const env = withSubgraph({ env: { FOCUS_BREAKER_MIN_CALLS: '100', FOCUS_RETRIES: '0' } });

  it.each([
    ['[{}]', 1],
    ['[{"inn":"garbage"}]', 2],
  ])('%s → VENDOR_BAD_RESPONSE, nothing cached: once the vendor heals, the same INN resolves', async (body, seed) => {
    const [inn] = legalEntityInns(1, 60 + seed) as [string];
    env.emulator.injectFault({ fault: { kind: 'jsonBody', body }, methods: ['req'] });
    try {
      const broken = await env.subgraph.gql(COMPANY, { inn });
      expect(broken.data).toEqual({ company: null });
      expect(broken.errors!.map((error) => [error.path, error.extensions!.code, error.message])).toEqual([
        [['company'], 'VENDOR_BAD_RESPONSE', 'Kontur.Focus req answered 1 record(s) without an identifier that was asked for'],
      ]);
    } finally {
      env.emulator.clearFaults();
    }
    env.emulator.resetCalls();
    const healed = await env.subgraph.gql(COMPANY, { inn });
    expect(healed.errors).toBeUndefined();
    expect(healed.data.company.inn).toBe(inn);
    expect(env.emulator.callsTo('req')).toHaveLength(1);
  });
});

describe('errors that match the fault', () => {
  const env = withSubgraph({
    env: { FOCUS_BREAKER_MIN_CALLS: '100', FOCUS_RETRIES: '0', FOCUS_TIMEOUT: '500ms', REFRESH_MIN_INTERVAL: '0' },
  });

  it.each([
    ['fsspProceedings(first: -1)', 'first'],
    ['fsspProceedings(first: 1000000)', 'first'],
    ['fsspProceedings(after: "zz")', 'after'],
    ['purchases(role: CUSTOMER, first: -1)', 'first'],
    ['purchases(role: CUSTOMER, first: 1000000)', 'first'],
    ['purchases(role: CUSTOMER, after: "zz")', 'after'],
  ])('%s next to another field: HTTP 200, that field null with BAD_USER_INPUT, the sibling answered', async (field, argument) => {
    const response = await fetch(`${env.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ company(inn: "6663003127") { shortName list: ${field} { totalCount } } }` }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: unknown; errors: Array<{ path: unknown; extensions: Record<string, unknown> }> };
    expect(body.data).toEqual({ company: { shortName: 'АО "ПФ "СКБ Контур"', list: null } });
    expect(body.errors.map((error) => [error.path, error.extensions.code, error.extensions.argument])).toEqual([
      [['company', 'list'], 'BAD_USER_INPUT', argument],
    ]);
  });

  it('30 aliased refreshes of one INN cost one call per cached method', async () => {
    const [inn] = legalEntityInns(1, 71) as [string];
    env.emulator.resetCalls();
    const aliases = Array.from({ length: 30 }, (_, index) => `r${index}: refreshCompany(inn: "${inn}") { inn }`).join('\n');
    const result = await env.subgraph.gql(`mutation { ${aliases} }`);
    expect(result.errors).toBeUndefined();
    expect(Object.values(result.data)).toEqual(Array.from({ length: 30 }, () => ({ inn })));
    expect(env.emulator.calls.map((call) => call.method)).toEqual(['req']);
  });

  it("refreshCompany keeps the vendor's code: a timeout stays VENDOR_TIMEOUT, malformed JSON VENDOR_BAD_RESPONSE", async () => {
    const [inn] = legalEntityInns(1, 72) as [string];
    const refresh = `mutation { refreshCompany(inn: "${inn}") { inn } }`;
    // Cached first: a failed refresh could then answer the cached entry as stale, and must refuse to, with the vendor's code.
    await env.subgraph.gql(COMPANY, { inn });
    env.emulator.injectFault({ fault: { kind: 'malformedJson' }, methods: ['req'], times: 1 });
    const malformed = await env.subgraph.gql(refresh);
    expect(malformed.errors!.map((error) => error.extensions!.code)).toEqual(['VENDOR_BAD_RESPONSE']);
    env.emulator.injectFault({ fault: { kind: 'hang' }, methods: ['req'], times: 1 });
    const hung = await env.subgraph.gql(refresh);
    expect(hung.errors!.map((error) => [error.extensions!.code, error.message])).toEqual([
      ['VENDOR_TIMEOUT', 'Kontur.Focus req did not answer within 500 ms; the data could not be refreshed (cached data kept)'],
    ]);
  });

  it('a 1 MB INN is refused with an error under 4 KB, echoing only a prefix; all-zero INNs and OGRNs cost no call', async () => {
    env.emulator.resetCalls();
    const huge = '7'.repeat(1_000_000);
    const response = await fetch(`${env.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: COMPANY, variables: { inn: huge } }),
    });
    const text = await response.text();
    expect(text.length).toBeLessThan(4_096);
    const body = JSON.parse(text) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors[0]!.message).toBe(
      `Invalid INN in "inn": "${'7'.repeat(39)}…" (must have 10 digits (organisation) or 12 digits (sole proprietor or person))`,
    );
    expect(body.errors[0]!.extensions.invalid).toEqual([`${'7'.repeat(39)}…`]);

    const zeros = await env.subgraph.gql(
      `{ a: company(inn: "0000000000") { inn } b: company(inn: "000000000000") { inn } c: company(ogrn: "0000000000000") { inn } }`,
    );
    expect(zeros.errors!.map((error) => error.message)).toEqual([
      'Invalid INN in "inn": "0000000000" (all zeros is not a taxpayer number)',
      'Invalid INN in "inn": "000000000000" (all zeros is not a taxpayer number)',
      'Invalid OGRN in "ogrn": "0000000000000" (all zeros is not a registration number)',
    ]);
    expect(env.emulator.calls).toHaveLength(0);
  });
});

describe('redaction at the edge', () => {
  const env = withSubgraph({ env: { FOCUS_BREAKER_MIN_CALLS: '100', FOCUS_RETRIES: '0' } });

  it('a vendor echoing the key in its error body: the key is in no answer and no log line, not even as an 8-character prefix', async () => {
    const [inn] = legalEntityInns(1, 81) as [string];
    // Placed so a cut at 200 characters would have left its first characters behind.
    const body = `${'x'.repeat(190)} key=${TEST_FOCUS_KEY} Bearer ${TEST_FOCUS_KEY} raw ${TEST_FOCUS_KEY}`;
    env.emulator.injectFault({ fault: { kind: 'status', status: 400, body }, methods: ['req'] });
    let answer: string;
    try {
      const response = await fetch(`${env.subgraph.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: COMPANY, variables: { inn } }),
      });
      answer = await response.text();
    } finally {
      env.emulator.clearFaults();
    }
    expect(JSON.parse(answer).errors[0].extensions.code).toBe('VENDOR_BAD_RESPONSE');
    const logs = env.subgraph.logs.join('');
    expect(logs).toContain('Kontur.Focus call failed');
    for (const text of [answer, logs]) expect(text).not.toContain(TEST_FOCUS_KEY.slice(0, 8));
  });

  it('a card number in a client-chosen operation name never reaches a log line or a metric label', async () => {
    const result = await env.subgraph.gql(`query Card4276380012345678 { company(inn: "6663003127") { inn } }`);
    expect(result.errors).toBeUndefined();
    const logs = env.subgraph.logs.join('');
    expect(logs).not.toContain('4276380012345678');
  });
});

describe('documents: HEAD never costs a paid call', () => {
  const env = withSubgraph();

  it('HEAD on a fresh document link answers headers without a vendor call; after a GET, HEAD carries the cached length', async () => {
    const link = await env.subgraph.gql(`{ company(inn: "6663003127") { excerpt { url } } }`);
    const url = `${env.subgraph.url}${link.data.company.excerpt.url}`;
    env.emulator.resetCalls();
    const head = await fetch(url, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), head.headers.get('content-length')]).toEqual([200, 'application/pdf', null]);
    expect(env.emulator.calls).toHaveLength(0);
    const get = await fetch(url);
    const bytes = Buffer.from(await get.arrayBuffer());
    expect(env.emulator.callsTo('excerpt')).toHaveLength(1);
    const again = await fetch(url, { method: 'HEAD' });
    expect(again.headers.get('content-length')).toBe(String(bytes.length));
    expect(env.emulator.callsTo('excerpt')).toHaveLength(1);
  });
});

describe('readiness while draining', () => {
  const env = withSubgraph();

  it('/readyz answers 503 as soon as the shutdown starts', async () => {
    expect((await fetch(`${env.subgraph.url}/readyz`)).status).toBe(200);
    env.subgraph.lifecycle.draining = true;
    const response = await fetch(`${env.subgraph.url}/readyz`);
    expect([response.status, await response.json()]).toEqual([
      503,
      { status: 'not ready', checks: { config: 'ok', shutdown: 'draining: finishing in-flight operations' } },
    ]);
    env.subgraph.lifecycle.draining = false;
  });
});

describe('GraphiQL and introspection with a real Jump.Finance key', () => {
  const secret = 'router-secret-for-introspection';
  const live = withSubgraph({
    env: { JUMP_API_KEY: 'live-jump-key-0123456789', JUMP_BASE_URL: 'http://127.0.0.1:9', ROUTER_SECRET: secret },
  });
  const opted = withSubgraph({
    env: { JUMP_API_KEY: 'live-jump-key-0123456789', JUMP_BASE_URL: 'http://127.0.0.1:9', ROUTER_SECRET: secret, GRAPHIQL: 'on' },
  });
  const headers = { 'router-authorization': secret };

  it('are off by default even outside production; GRAPHIQL=on turns them on, still behind ROUTER_SECRET', async () => {
    const closed = await live.subgraph.gql(`{ __schema { queryType { name } } }`, undefined, headers);
    expect(closed.errors!.map((error) => error.extensions!.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const page = await fetch(`${live.subgraph.url}/graphql`, { headers: { accept: 'text/html', ...headers } });
    expect(page.headers.get('content-type')).not.toContain('text/html');

    const open = await opted.subgraph.gql(`{ __schema { queryType { name } } }`, undefined, headers);
    expect(open.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const anonymous = await fetch(`${opted.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe('review findings: holes closed', () => {
  const env = withSubgraph({ env: { FOCUS_BREAKER_MIN_CALLS: '100', FOCUS_RETRIES: '0' } });
  let garbledCase = 0;

  it('a vendor echoing only part of the key (20 characters, mid-text) leaks it nowhere', async () => {
    const [inn] = legalEntityInns(1, 91) as [string];
    env.emulator.injectFault({
      fault: { kind: 'status', status: 400, body: `key ${TEST_FOCUS_KEY.slice(0, 20)} is not valid here` },
      methods: ['req'],
    });
    let answer: string;
    try {
      answer = await (
        await fetch(`${env.subgraph.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: COMPANY, variables: { inn } }),
        })
      ).text();
    } finally {
      env.emulator.clearFaults();
    }
    expect(JSON.parse(answer).errors[0].message).toBe('Kontur.Focus req refused the request (HTTP 400: key *** is not valid here)');
    for (const text of [answer, env.subgraph.logs.join('')]) expect(text).not.toContain(TEST_FOCUS_KEY.slice(4, 12));
  });

  it('30 aliased refreshes of different INNs are refused before any call: mutations run one after another', async () => {
    env.emulator.resetCalls();
    const aliases = legalEntityInns(30, 92).map((inn, index) => `r${index}: refreshCompany(inn: "${inn}") { shortName }`);
    const response = await fetch(`${env.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation { ${aliases.join(' ')} }` }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    // 6 per-INN methods for each of 30 INNs, and req for the answers (one call for all 30).
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', estimatedVendorCalls: 181 });
    expect(env.emulator.calls).toHaveLength(0);
  });

  it.each([
    ['fssp', 'fsspProceedings(first: 5) { edges { cursor } }', '[{"inn":"garbage"}]'],
    ['fssp', 'fsspProceedings(first: 5) { edges { cursor } }', '[{}]'],
    ['govPurchasesOfCustomer', 'purchases(role: CUSTOMER, first: 5) { edges { cursor } }', '[{"inn":"{inn}"}]'],
  ])('a garbled %s page is VENDOR_BAD_RESPONSE and never cached as "none"', async (method, field, body) => {
    // A company with 2,500 proceedings and purchases (digits 3–5 "250"), a fresh one per case.
    const inn = legalEntityInns(10, 25)[++garbledCase]!;
    const query = `{ company(inn: "${inn}") { shortName list: ${field} } }`;
    await env.subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
    // The third case names the INN asked but carries no list: not the vendor's shape either.
    env.emulator.injectFault({ fault: { kind: 'jsonBody', body: body.replace('{inn}', inn) }, methods: [method] });
    try {
      const broken = await env.subgraph.gql(query);
      expect(broken.data.company.list).toBeNull();
      expect(broken.errors!.map((error) => error.extensions!.code)).toEqual(['VENDOR_BAD_RESPONSE']);
    } finally {
      env.emulator.clearFaults();
    }
    const healed = await env.subgraph.gql(query);
    expect(healed.errors).toBeUndefined();
    expect(healed.data.company.list.edges).toHaveLength(5);
  });

  it('a monitoring answer naming no valid company is VENDOR_BAD_RESPONSE, not "unknown" or "no changes"', async () => {
    env.emulator.injectFault({ fault: { kind: 'jsonBody', body: '[{"inn":"garbage"},{}]' }, methods: ['monList', 'req/mon'] });
    try {
      const watch = await env.subgraph.gql(`mutation { watchCompanies(inns: ["6663003127"]) { watched unknown } }`);
      expect([watch.data.watchCompanies, watch.errors!.map((error) => error.extensions!.code)]).toEqual([null, ['VENDOR_BAD_RESPONSE']]);
      const changed = await env.subgraph.gql(`{ changedCompanies(date: "2026-11-20") { inn } }`);
      expect([changed.data.changedCompanies, changed.errors!.map((error) => error.extensions!.code)]).toEqual([
        null,
        ['VENDOR_BAD_RESPONSE'],
      ]);
    } finally {
      env.emulator.clearFaults();
    }
  });

  it('_entities: a representation whose inn is not a string fails alone with BAD_USER_INPUT', async () => {
    const result = await env.subgraph.gql(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Company { inn } } }`, {
      r: [{ __typename: 'Company', inn: 5 }, { __typename: 'Company' }, { __typename: 'Company', inn: '6663003127' }],
    });
    expect(result.data._entities).toEqual([null, null, { inn: '6663003127' }]);
    expect(result.errors!.map((error) => [error.path, error.extensions!.code])).toEqual([
      [['_entities', 0], 'BAD_USER_INPUT'],
      [['_entities', 1], 'BAD_USER_INPUT'],
    ]);
  });

  it('an undecodable document URL is a plain 400, not a JSON-body complaint', async () => {
    const response = await fetch(`${env.subgraph.url}/documents/%E0%A4%A.pdf`);
    expect([response.status, await response.json()]).toEqual([
      400,
      { errors: [{ message: 'Bad request', extensions: { code: 'BAD_REQUEST' } }] },
    ]);
  });
});
