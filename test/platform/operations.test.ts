import { describe, expect, it } from 'vitest';
import { legalEntityInns } from '../support/inns.ts';
import { TEST_FOCUS_KEY, withSubgraph } from '../support/subgraph.ts';
import { metricsText, sample } from '../support/metrics.ts';

const NAMES = `query CrmList($inns: [String!]!) { companies(inns: $inns) { inn shortName } }`;

describe('health, readiness and metrics', () => {
  const env = withSubgraph({ env: { LOG_LEVEL: 'debug' } });

  it('/healthz and /readyz answer small JSON', async () => {
    const health = await fetch(`${env.subgraph.url}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const ready = await fetch(`${env.subgraph.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { config: 'ok', cache: { kind: 'memory', reachable: true } } });
  });

  it('after a 250-company query /metrics shows 3 req calls, their batch sizes and 250 misses; a repeat shows 250 hits', async () => {
    const inns = legalEntityInns(250, 51);
    await env.subgraph.gql(NAMES, { inns });
    let text = await metricsText(env.subgraph.url);
    expect(sample(text, 'vendor_calls_total{vendor="kontur-focus",method="req",outcome="ok"}')).toBe(3);
    expect(sample(text, 'vendor_call_identifiers_count{vendor="kontur-focus",method="req"}')).toBe(3);
    expect(sample(text, 'vendor_call_identifiers_sum{vendor="kontur-focus",method="req"}')).toBe(250);
    expect(sample(text, 'vendor_call_identifiers_bucket{le="50",vendor="kontur-focus",method="req"}')).toBe(1);
    expect(sample(text, 'vendor_call_identifiers_bucket{le="99",vendor="kontur-focus",method="req"}')).toBe(1);
    expect(sample(text, 'vendor_call_identifiers_bucket{le="100",vendor="kontur-focus",method="req"}')).toBe(3);
    expect(sample(text, 'cache_lookups_total{method="req",result="miss"}')).toBe(250);
    expect(sample(text, 'cache_lookups_total{method="req",result="hit"}')).toBeUndefined();

    await env.subgraph.gql(NAMES, { inns });
    text = await metricsText(env.subgraph.url);
    expect(sample(text, 'cache_lookups_total{method="req",result="hit"}')).toBe(250);
    expect(sample(text, 'vendor_calls_total{vendor="kontur-focus",method="req",outcome="ok"}')).toBe(3);
    expect(sample(text, 'graphql_operations_total{operation="CrmList",outcome="success"}')).toBe(2);
    expect(text).toContain('vendor_call_duration_seconds_bucket');
    expect(text).toContain('graphql_operation_duration_seconds_bucket');
  });

  it('counts calls saved by in-flight coalescing and errors by code', async () => {
    const inns = legalEntityInns(20, 52);
    await Promise.all([env.subgraph.gql(NAMES, { inns }), env.subgraph.gql(NAMES, { inns })]);
    await env.subgraph.gql(`{ company(inn: "1234567890") { inn } }`);
    const text = await metricsText(env.subgraph.url);
    expect(sample(text, 'inflight_coalesced_total{method="req"}')).toBe(20);
    expect(sample(text, 'graphql_errors_total{code="BAD_USER_INPUT"}')).toBe(1);
  });

  it('logs one JSON line per operation with the request id, name, duration, vendor calls and cache hits: info when it cost vendor calls, debug when the cache answered', async () => {
    const inns = legalEntityInns(3, 53);
    await env.subgraph.gql(NAMES, { inns }, { 'x-request-id': 'req-test-1' });
    await env.subgraph.gql(NAMES, { inns }, { 'x-request-id': 'req-test-2' });
    const lines = env.subgraph.logs.map((line) => JSON.parse(line)).filter((line) => line.msg === 'graphql operation');
    const first = lines.find((line) => line.requestId === 'req-test-1');
    const second = lines.find((line) => line.requestId === 'req-test-2');
    expect(first).toMatchObject({ level: 30, operation: 'CrmList', outcome: 'success', vendorCalls: 1, cacheHits: 0, cacheMisses: 3 });
    expect(second).toMatchObject({ level: 20, operation: 'CrmList', outcome: 'success', vendorCalls: 0, cacheHits: 3, cacheMisses: 0 });
    expect(typeof first.durationMs).toBe('number');
  });
});

describe('access control', () => {
  const ROUTER_SECRET = 'router-secret-0f9e8d7c6b5a';
  const METRICS_TOKEN = 'metrics-token-1a2b3c';
  const env = withSubgraph({ env: { ROUTER_SECRET, METRICS_TOKEN } });

  it('GraphQL without the router-authorization header is 401; with it, 200', async () => {
    const query = JSON.stringify({ query: '{ company(inn: "6663003127") { shortName } }' });
    const headers = { 'content-type': 'application/json' };
    const denied = await fetch(`${env.subgraph.url}/graphql`, { method: 'POST', headers, body: query });
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await fetch(`${env.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'router-authorization': 'nope' },
      body: query,
    });
    expect(wrong.status).toBe(401);
    const allowed = await fetch(`${env.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'router-authorization': ROUTER_SECRET },
      body: query,
    });
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as any).data.company.shortName).toBe('АО "ПФ "СКБ Контур"');
  });

  it('health stays open for probes; /metrics needs the METRICS_TOKEN', async () => {
    expect((await fetch(`${env.subgraph.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${env.subgraph.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${env.subgraph.url}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${env.subgraph.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
  });

  it('no secret, key or INN appears in /metrics or in the logs, on success or failure', async () => {
    const inns = legalEntityInns(5, 54);
    const auth = { 'router-authorization': ROUTER_SECRET };
    await env.subgraph.gql(NAMES, { inns }, auth);
    await env.subgraph.gql(`{ company(inn: "7707083890") { inn } }`, {}, auth);
    // A vendor error body echoing an INN, an operation named after an INN, a crafted request id.
    const [failing] = legalEntityInns(1, 58);
    env.emulator.injectFault({ fault: { kind: 'status', status: 400, body: `Invalid parameter inn=${failing}` }, times: 1 });
    await env.subgraph.gql(
      `query Inn_${failing!.slice(0, 4)}_${failing!.slice(4)} { company(inn: "${failing}") { inn } }`,
      {},
      {
        ...auth,
        'x-request-id': `https://x/?key=${TEST_FOCUS_KEY}&inn=${failing}`,
      },
    );
    inns.push(failing!);
    const metrics = await metricsText(env.subgraph.url, { authorization: `Bearer ${METRICS_TOKEN}` });
    const logs = env.subgraph.logs.join('\n');
    for (const secret of [ROUTER_SECRET, METRICS_TOKEN, TEST_FOCUS_KEY, ...inns, '7707083890']) {
      expect(metrics).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    // One call for 6663003127 in the first test of this block, one for the five INNs; the faulted one failed.
    expect(sample(metrics, 'vendor_calls_total{vendor="kontur-focus",method="req",outcome="ok"}')).toBe(2);
    expect(sample(metrics, 'vendor_calls_total{vendor="kontur-focus",method="req",outcome="vendor_bad_response"}')).toBe(1);
    expect(logs).toContain('"detail":"Invalid parameter inn=#"');
  });
});

describe('query limits, before any vendor call', () => {
  const env = withSubgraph();

  it("a query asking 10 000 companies' analytics is rejected with the estimate in the message", async () => {
    env.emulator.resetCalls();
    const inns = legalEntityInns(10_000, 55);
    const result = await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { analytics { revenue } } }`, { inns });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', estimatedVendorCalls: 200, limit: 50 });
    expect(result.errors![0]!.message).toBe(
      'This operation could cost up to 200 Kontur.Focus calls, more than the 50 allowed per operation (MAX_VENDOR_CALLS_PER_OPERATION). ' +
        'Ask for fewer companies or fewer field groups per operation.',
    );
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('one query text is estimated per variable shape: 10 INNs pass, 100 are refused, 10 others pass again', async () => {
    const query = `query Proceedings($inns: [String!]!) { companies(inns: $inns) { fsspProceedings(first: 10) { totalCount } } }`;
    const first = await env.subgraph.gql(query, { inns: legalEntityInns(10, 58) });
    expect(first.errors).toBeUndefined();
    env.emulator.resetCalls();
    const many = await env.subgraph.gql(query, { inns: legalEntityInns(100, 58) });
    expect(many.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', estimatedVendorCalls: 101, limit: 50 });
    expect(env.emulator.calls).toHaveLength(0);
    const other = await env.subgraph.gql(query, { inns: legalEntityInns(10, 59) });
    expect(other.errors).toBeUndefined();
    expect(other.data.companies).toHaveLength(10);
  });

  it('an operation asking two vendors names each one in the refusal', async () => {
    env.emulator.resetCalls();
    const inns = legalEntityInns(60, 57);
    const result = await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { tbankCheck { ogrn } } }`, { inns });
    expect(result.errors![0]!.extensions).toMatchObject({
      code: 'QUERY_TOO_EXPENSIVE',
      estimatedVendorCalls: 61,
      estimatedVendorCallsByVendor: { 'Kontur.Focus': 1, 'T-Bank': 60 },
      limit: 50,
    });
    expect(result.errors![0]!.message).toBe(
      'This operation could cost up to 61 vendor calls (Kontur.Focus 1, T-Bank 60), more than the 50 allowed per operation ' +
        '(MAX_VENDOR_CALLS_PER_OPERATION). Ask for fewer companies or fewer field groups per operation.',
    );
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('aliases multiply the estimate: 10 × companies(1000 INNs) with analytics is rejected', async () => {
    env.emulator.resetCalls();
    const inns = legalEntityInns(1000, 56);
    const fields = Array.from({ length: 10 }, (_, i) => `a${i}: companies(inns: $inns) { analytics { revenue } }`).join(' ');
    const result = await env.subgraph.gql(`query ($inns: [String!]!) { ${fields} }`, { inns });
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_EXPENSIVE', estimatedVendorCalls: 200 });
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('1000 companies with every field group fits the default limit (10 calls × 5 methods)', async () => {
    const inns = legalEntityInns(1000, 57);
    const result = await env.subgraph.gql(
      `query ($inns: [String!]!) { companies(inns: $inns) { inn activities { code } analytics { revenue } licences { number } financials { year } } }`,
      { inns },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.companies).toHaveLength(1000);
  });

  it('a 30-level deep query is rejected', async () => {
    env.emulator.resetCalls();
    const deep = `{ company(inn: "6663003127") { ${'founders { companies { '.repeat(14)}name${' } }'.repeat(14)} } }`;
    const result = await env.subgraph.gql(deep);
    expect(result.errors!.map((error) => error.message)).toContain('Syntax Error: Query depth limit of 12 exceeded, found 30.');
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('a 500-alias query is rejected', async () => {
    env.emulator.resetCalls();
    const aliases = Array.from({ length: 500 }, (_, i) => `c${i}: company(inn: "6663003127") { inn }`).join(' ');
    const result = await env.subgraph.gql(`{ ${aliases} }`);
    expect(result.errors!.map((error) => error.message)).toContain('Syntax Error: Aliases limit of 30 exceeded, found 500.');
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('a body over MAX_REQUEST_BODY is 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await fetch(`${env.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('CSRF prevention: a simple cross-site GET operation is refused', async () => {
    const response = await fetch(`${env.subgraph.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
  });
});

describe('production mode', () => {
  const env = withSubgraph({ env: { NODE_ENV: 'production', CORS_ORIGINS: 'https://shop.example.ru' } });

  it('serves no GraphiQL and refuses introspection unless GRAPHIQL=on', async () => {
    const page = await fetch(`${env.subgraph.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('graphiql.js');
    const introspection = await env.subgraph.gql(`{ __schema { queryType { name } } }`);
    expect(introspection.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // The router still gets the subgraph schema: that is not introspection.
    const sdl = await env.subgraph.gql(`{ _service { sdl } }`);
    expect(sdl.data._service.sdl).toContain('type Company @key(fields: "inn")');
  });

  it('CORS_ORIGINS lets the website call the graph directly, and nobody else', async () => {
    const preflight = (origin: string) =>
      fetch(`${env.subgraph.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('https://shop.example.ru');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.ru');
    const other = await preflight('https://evil.example.com');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('GRAPHIQL=on in production', () => {
  const env = withSubgraph({ env: { NODE_ENV: 'production', GRAPHIQL: 'on' } });

  it('serves GraphiQL', async () => {
    const page = await fetch(`${env.subgraph.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('<script src="/graphiql/graphiql.js"></script>');
  });
});
