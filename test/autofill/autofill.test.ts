import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns, unknownInn } from '../support/inns.ts';
import { metricsText, sample } from '../support/metrics.ts';
import { reachable } from '../support/processes.ts';
import { startEmulator, startSubgraph, TEST_ROUTER_SECRET, withSubgraph, type TestSubgraph } from '../support/subgraph.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[autofill/autofill.test] skipping the replica tests: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

const SERVER_TOKEN = 'autofill-server-token-0123456789abcdef';

async function lookup(base: string, inn: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/autofill/v1/company?inn=${encodeURIComponent(inn)}`, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

function reqIds(emulator: FocusEmulator): string[] {
  return emulator.callsTo('req').flatMap((call) => call.ids);
}

describe('GET /autofill/v1/company: public requisites for one INN, through the graph loaders and cache', () => {
  const env = withSubgraph({ env: { ROUTER_SECRET: TEST_ROUTER_SECRET, AUTOFILL_RATE_LIMIT: '1000/min' } });

  it('answers the public requisites of a company, without the router secret, while /graphql refuses', async () => {
    const answer = await lookup(env.subgraph.url, '6663003127');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('private, max-age=300');
    const { fetchedAt, ...body } = answer.body;
    expect(Date.parse(fetchedAt)).toBeGreaterThan(0);
    expect(body).toEqual({
      inn: '6663003127',
      kind: 'LEGAL_ENTITY',
      kpp: '668601001',
      ogrn: '1026605606620',
      shortName: 'АО "ПФ "СКБ Контур"',
      fullName: 'Акционерное общество "Производственная Фирма "СКБ Контур"',
      registrationDate: '1992-03-26',
      status: { code: 'ACTIVE', text: 'Действующее', isActive: true },
      legalAddress: {
        oneLine: '620017, Свердловская обл, г Екатеринбург, пр-кт Космонавтов, д 56',
        zipCode: '620017',
        region: 'Свердловская обл',
        city: 'г Екатеринбург',
        street: 'пр-кт Космонавтов',
        house: '56',
        flat: null,
      },
      head: { fio: 'Филатов Евгений Юрьевич', position: 'Генеральный Директор' },
    });
    const graphql = await fetch(`${env.subgraph.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ company(inn: "6663003127") { inn } }' }),
    });
    expect(graphql.status).toBe(401);
    expect(((await graphql.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a sole proprietor is its own head; nothing paid beyond req is in the answer', async () => {
    env.emulator.resetCalls();
    const answer = await lookup(env.subgraph.url, '366512608416');
    expect(answer.status).toBe(200);
    expect(answer.body.kind).toBe('SOLE_PROPRIETOR');
    expect(answer.body.head).toEqual({ fio: 'Введенский Михаил Сергеевич', position: 'Индивидуальный предприниматель' });
    expect(Object.keys(answer.body).sort()).toEqual(
      ['fetchedAt', 'fullName', 'head', 'inn', 'kind', 'kpp', 'legalAddress', 'ogrn', 'registrationDate', 'shortName', 'status'].sort(),
    );
    expect(env.emulator.calls.map((call) => call.method)).toEqual(['req']);
  });

  it.each([
    ['letters', '66630O3127', 'must contain digits only'],
    ['9 digits', '666300312', 'must have 10 digits'],
    ['11 digits', '66630031271', 'must have 10 digits'],
    ['a checksum error', '6663003128', 'check digit does not match'],
    ['all zeros', '0000000000', 'all zeros'],
    ['nothing', '', 'must contain digits only'],
  ])('%s → 400 BAD_USER_INPUT, no vendor call', async (_what, inn, words) => {
    env.emulator.resetCalls();
    const answer = await lookup(env.subgraph.url, inn);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('BAD_USER_INPUT');
    expect(answer.body.error.message).toContain(words);
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('a missing or repeated inn, and a 1 MB string → 400, no vendor call', async () => {
    env.emulator.resetCalls();
    const missing = await fetch(`${env.subgraph.url}/autofill/v1/company`);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).error).toEqual({ code: 'BAD_USER_INPUT', message: 'inn is required: ?inn=<10 or 12 digits>' });
    const twice = await fetch(`${env.subgraph.url}/autofill/v1/company?inn=6663003127&inn=7736050003`);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as any).error).toEqual({ code: 'BAD_USER_INPUT', message: 'give one inn' });
    const huge = await lookup(env.subgraph.url, '7'.repeat(1024 * 1024));
    expect(huge.status).toBe(400);
    expect(huge.body.error.code).toBe('BAD_USER_INPUT');
    // Long but under Node's header limit: refused by the INN check, echoed cut.
    const long = await lookup(env.subgraph.url, '7'.repeat(10_000));
    expect(long.status).toBe(400);
    expect(long.body.error.message.length).toBeLessThan(200);
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('an INN the registry does not know → 404 NOT_FOUND (after one call; then cached)', async () => {
    env.emulator.resetCalls();
    const inn = unknownInn(7);
    const first = await lookup(env.subgraph.url, inn);
    expect(first.status).toBe(404);
    expect(first.body).toEqual({ error: { code: 'NOT_FOUND', message: 'The registry (EGRUL/EGRIP) does not know this INN' } });
    expect((await lookup(env.subgraph.url, inn)).status).toBe(404);
    expect(reqIds(env.emulator)).toEqual([inn]);
  });

  it('a cached INN costs nothing; concurrent visitors asking the same INN share one call', async () => {
    env.emulator.resetCalls();
    const [inn] = legalEntityInns(1, 61);
    const answers = await Promise.all(Array.from({ length: 8 }, () => lookup(env.subgraph.url, inn!)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((answer) => answer.body.fetchedAt)).size).toBe(1);
    expect((await lookup(env.subgraph.url, inn!)).status).toBe(200);
    // The graph reads the same cache entry: no second call either.
    const graph = await env.subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
    expect(graph.data.company.shortName).toBe(answers[0]!.body.shortName);
    expect(reqIds(env.emulator)).toEqual([inn]);
  });

  it('counts requests by outcome and the vendor calls spent', async () => {
    const metrics = await metricsText(env.subgraph.url);
    expect(sample(metrics, 'autofill_requests_total{route="company",outcome="bad_input"}')).toBe(9);
    expect(sample(metrics, 'autofill_requests_total{route="company",outcome="not_found"}')).toBe(2);
    expect(sample(metrics, 'autofill_vendor_calls_total')).toBe(4);
  });
});

describe('AUTOFILL_RATE_LIMIT per client IP, and TRUST_PROXY', () => {
  const plain = withSubgraph({ env: { AUTOFILL_RATE_LIMIT: '20/min' } });
  const proxied = withSubgraph({ env: { AUTOFILL_RATE_LIMIT: '20/min', TRUST_PROXY: 'loopback' } });

  it('the 21st request within a minute is 429 with Retry-After; a forged X-Forwarded-For does not reset it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await lookup(plain.subgraph.url, '6663003127')).status);
    expect(statuses).toEqual(Array(20).fill(200));
    const refused = await lookup(plain.subgraph.url, '6663003127');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const forged = await lookup(plain.subgraph.url, '6663003127', { 'x-forwarded-for': '203.0.113.9' });
    expect(forged.status).toBe(429);
    // Bad input counts too (it is still a request), and is refused before it is read.
    expect((await lookup(plain.subgraph.url, 'abc')).status).toBe(429);
  });

  it('behind a trusted proxy, the clients it names are limited separately', async () => {
    for (let i = 0; i < 20; i++)
      expect((await lookup(proxied.subgraph.url, '6663003127', { 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
    expect((await lookup(proxied.subgraph.url, '6663003127', { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);
    expect((await lookup(proxied.subgraph.url, '6663003127', { 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
    // IPv6 clients count by their /64: another address of the same network is the same client.
    for (let i = 0; i < 20; i++) await lookup(proxied.subgraph.url, '6663003127', { 'x-forwarded-for': `2001:db8:1:2::${i + 1}` });
    expect((await lookup(proxied.subgraph.url, '6663003127', { 'x-forwarded-for': '2001:db8:1:2:ffff::1' })).status).toBe(429);
    expect((await lookup(proxied.subgraph.url, '6663003127', { 'x-forwarded-for': '2001:db8:1:3::1' })).status).toBe(200);
    const metrics = await metricsText(proxied.subgraph.url);
    expect(sample(metrics, 'autofill_requests_total{route="company",outcome="rate_limited"}')).toBe(2);
  });
});

describe('AUTOFILL_DAILY_VENDOR_CALLS: past the budget, cached INNs only', () => {
  const env = withSubgraph({ env: { AUTOFILL_DAILY_VENDOR_CALLS: '2', AUTOFILL_RATE_LIMIT: '1000/min' } });

  it('two uncached INNs spend the budget; then a cached INN answers and an uncached one is 503 without a call', async () => {
    const [first, second, third] = legalEntityInns(3, 62);
    expect((await lookup(env.subgraph.url, first!)).status).toBe(200);
    expect((await lookup(env.subgraph.url, second!)).status).toBe(200);
    env.emulator.resetCalls();
    const refused = await lookup(env.subgraph.url, third!);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('BUDGET_EXHAUSTED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    const cached = await lookup(env.subgraph.url, first!);
    expect(cached.status).toBe(200);
    expect(cached.body.inn).toBe(first);
    expect(env.emulator.calls).toHaveLength(0);
    // The graph is not bound by the route's budget.
    const graph = await env.subgraph.gql(`{ company(inn: "${third}") { inn } }`);
    expect(graph.data.company.inn).toBe(third);
    const metrics = await metricsText(env.subgraph.url);
    expect(sample(metrics, 'autofill_requests_total{route="company",outcome="budget_exhausted"}')).toBe(1);
    expect(sample(metrics, 'autofill_vendor_calls_total')).toBe(2);
  });
});

describe('AUTOFILL_CLIENT_DAILY_VENDOR_CALLS, and a visitor who leaves keeps the call charged', () => {
  const env = withSubgraph({
    latencyMs: 400,
    env: { AUTOFILL_CLIENT_DAILY_VENDOR_CALLS: '2', AUTOFILL_DAILY_VENDOR_CALLS: '3', TRUST_PROXY: 'loopback' },
  });

  it("a client's third paid lookup of the day is 429; cached companies still answer", async () => {
    const [a, b, c] = legalEntityInns(3, 65);
    expect((await lookup(env.subgraph.url, a!)).status).toBe(200);
    expect((await lookup(env.subgraph.url, b!)).status).toBe(200);
    const third = await lookup(env.subgraph.url, c!);
    expect(third.status).toBe(429);
    expect(third.body.error).toEqual({
      code: 'RATE_LIMITED',
      message: "This client's lookups for today are used up; cached companies still answer",
    });
    expect((await lookup(env.subgraph.url, a!)).status).toBe(200);
  });

  it('an aborted lookup keeps its reservation: the budget cannot be spent by leaving before the answer', async () => {
    const [x, y] = legalEntityInns(2, 66);
    const leaving = new AbortController();
    const pending = fetch(`${env.subgraph.url}/autofill/v1/company?inn=${x}`, {
      signal: leaving.signal,
      headers: { 'x-forwarded-for': '198.51.100.7' },
    }).catch((error: Error) => error.name);
    await new Promise((resolve) => setTimeout(resolve, 150));
    leaving.abort();
    expect(await pending).toBe('AbortError');
    // The budget (3) had 2 spent by the test above and 1 reserved by the lookup that left: the next uncached INN waits.
    const refused = await lookup(env.subgraph.url, y!, { 'x-forwarded-for': '198.51.100.8' });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('BUDGET_EXHAUSTED');
  });
});

describe('leaving cannot make a paid call free for whoever stays', () => {
  const env = withSubgraph({
    latencyMs: 300,
    env: { AUTOFILL_DAILY_VENDOR_CALLS: '2', FOCUS_MAX_CONCURRENCY: '1', TRUST_PROXY: 'loopback' },
  });

  it('A queues an INN, C joins it, A leaves before the call: C is charged, A keeps its reservation', async () => {
    const [busy, x, z] = legalEntityInns(3, 68);
    // The one vendor slot is busy, so X waits in the queue.
    const occupying = env.subgraph.gql(`{ company(inn: "${busy}") { inn } }`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const leaving = new AbortController();
    const a = fetch(`${env.subgraph.url}/autofill/v1/company?inn=${x}`, {
      signal: leaving.signal,
      headers: { 'x-forwarded-for': '198.51.100.21' },
    }).catch((error: Error) => error.name);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const c = lookup(env.subgraph.url, x!, { 'x-forwarded-for': '198.51.100.22' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    leaving.abort();
    expect(await a).toBe('AbortError');
    expect((await c).status).toBe(200);
    await occupying;
    expect(reqIds(env.emulator)).toEqual([busy, x]);
    // Two reservations stand for the one call: the budget of 2 is spent, nothing more is paid today.
    const refused = await lookup(env.subgraph.url, z!, { 'x-forwarded-for': '198.51.100.23' });
    expect(refused.body.error?.code).toBe('BUDGET_EXHAUSTED');
  });
});

describe('the vendor down: stale data marked, else 503 with Retry-After', () => {
  const clock = { now: Date.UTC(2026, 11, 3, 9, 0, 0) };
  const env = withSubgraph({
    now: () => clock.now,
    env: { CACHE_TTL_REQUISITES: '24h', CACHE_STALE_IF_ERROR: '24h', FOCUS_BREAKER_MIN_CALLS: '100', FOCUS_RETRIES: '0' },
  });

  it('an expired entry answers marked stale; an INN never fetched is 503', async () => {
    const [known, never] = legalEntityInns(2, 63);
    const fresh = await lookup(env.subgraph.url, known!);
    expect(fresh.status).toBe(200);
    clock.now += 25 * 3_600_000;
    env.emulator.injectFault({ fault: { kind: 'status', status: 503 }, methods: ['req'] });
    try {
      const stale = await lookup(env.subgraph.url, known!);
      expect(stale.status).toBe(200);
      expect(stale.body.stale).toBe(true);
      expect(stale.body.fetchedAt).toBe(fresh.body.fetchedAt);
      expect(stale.headers.get('cache-control')).toBe('no-store');
      const down = await lookup(env.subgraph.url, never!);
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('VENDOR_UNAVAILABLE');
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      env.emulator.clearFaults();
    }
  });
});

describe('CORS (AUTOFILL_ORIGINS), AUTOFILL_ENABLED=false', () => {
  const open = withSubgraph({ env: { AUTOFILL_ORIGINS: 'https://shop.example.ru' } });
  const off = withSubgraph({ env: { AUTOFILL_ENABLED: 'false' } });

  it('a listed site may read the answer from the browser, another may not', async () => {
    const listed = await lookup(open.subgraph.url, '6663003127', { origin: 'https://shop.example.ru' });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://shop.example.ru');
    expect(listed.headers.get('access-control-expose-headers')).toBe('Retry-After');
    open.emulator.resetCalls();
    const [inn] = legalEntityInns(1, 67);
    // Another site's page may not spend the budget through its visitors' browsers: refused before anything is read.
    const other = await lookup(open.subgraph.url, inn!, { origin: 'https://evil.example.com' });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const noCors = await lookup(open.subgraph.url, inn!, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' });
    expect(noCors.status).toBe(403);
    expect(open.emulator.calls).toHaveLength(0);
    // The subgraph's own pages (the demo) and servers (no browser headers) may.
    const own = await lookup(open.subgraph.url, inn!, { origin: open.subgraph.url, 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(200);
  });

  it('off: no route answers', async () => {
    for (const path of ['/autofill/v1/company?inn=6663003127', '/autofill/v1/widget.js', '/autofill/v1/demo']) {
      expect((await fetch(`${off.subgraph.url}${path}`)).status).toBe(404);
    }
    expect(off.emulator.calls).toHaveLength(0);
  });
});

describe('widget.js and the demo page', () => {
  const env = withSubgraph({ env: { NODE_ENV: 'production', ROUTER_SECRET: TEST_ROUTER_SECRET } });

  it('serves the widget as a script other sites may include, and the demo page in production too', async () => {
    const widget = await fetch(`${env.subgraph.url}/autofill/v1/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await widget.text()).toContain('data-autofill');
    const demo = await fetch(`${env.subgraph.url}/autofill/v1/demo`);
    expect(demo.status).toBe(200);
    expect(demo.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await demo.text();
    expect(html).toContain('<script src="/autofill/v1/widget.js" data-form="#registration"></script>');
    expect(html).toContain('6663003127');
  });
});

describe('POST /autofill/v1/screen: server to server', () => {
  const env = withSubgraph({ env: { AUTOFILL_SERVER_TOKEN: SERVER_TOKEN, ROUTER_SECRET: TEST_ROUTER_SECRET } });
  const screen = (body: unknown, headers: Record<string, string>) =>
    fetch(`${env.subgraph.url}/autofill/v1/screen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));

  it('reads the body only once the caller is known, and answers what it cannot read in its own shape', async () => {
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${env.subgraph.url}/autofill/v1/screen`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as any }));
    expect((await post('{bad', {})).status).toBe(401);
    expect(await post('{bad', { authorization: `bearer ${SERVER_TOKEN}` })).toEqual({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: 'The body is not JSON' } },
    });
    expect(await post(JSON.stringify({ inn: '7'.repeat(5000) }), { authorization: `Bearer ${SERVER_TOKEN}` })).toEqual({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than 4kb' } },
    });
  });

  it('refuses without the token or the router secret, before anything is read', async () => {
    env.emulator.resetCalls();
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong-token-0123456789abcdef' },
      { authorization: SERVER_TOKEN },
    ];
    for (const headers of attempts) {
      const refused = await screen({ inn: '6663003127' }, headers);
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('UNAUTHENTICATED');
    }
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('answers the status and the risk the site stores with its user (the same profile as Company.risk)', async () => {
    const answer = await screen({ inn: '6663003127' }, { authorization: `Bearer ${SERVER_TOKEN}` });
    expect(answer.status).toBe(200);
    const graph = await env.subgraph.gql(
      '{ company(inn: "6663003127") { status { code } risk { level requiresReview factors { code title severity } } } }',
    );
    const { company } = graph.data;
    expect(answer.body).toEqual({
      inn: '6663003127',
      statusCode: company.status.code,
      riskLevel: company.risk.level,
      requiresReview: company.risk.requiresReview,
      factors: company.risk.factors,
      checkedAt: answer.body.checkedAt,
    });
    expect(answer.body.statusCode).toBe('ACTIVE');
    expect(answer.body.factors.length).toBeGreaterThan(0);
    const viaRouter = await screen({ inn: '6663003127' }, { 'router-authorization': TEST_ROUTER_SECRET });
    expect(viaRouter.status).toBe(200);
  });

  it('a bad INN is 400, an unknown one 404, and the token is in no log line', async () => {
    env.emulator.resetCalls();
    const bad = await screen({ inn: 6663003127 }, { authorization: `Bearer ${SERVER_TOKEN}` });
    expect(bad).toEqual({ status: 400, body: { error: { code: 'BAD_USER_INPUT', message: 'give one inn' } } });
    expect(env.emulator.calls).toHaveLength(0);
    const unknown = await screen({ inn: unknownInn(8) }, { authorization: `Bearer ${SERVER_TOKEN}` });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect(env.subgraph.logs.join('')).not.toContain(SERVER_TOKEN);
  });
});

describe.skipIf(!redisUp)(`two replicas, one Redis: one client limit and one budget (${REDIS_URL})`, () => {
  let emulator: FocusEmulator;
  const replicas: TestSubgraph[] = [];

  beforeAll(async () => {
    emulator = await startEmulator();
    const env = {
      CACHE_URL: REDIS_URL,
      CACHE_NAMESPACE: `autofill-${process.pid}-${Date.now()}`,
      AUTOFILL_RATE_LIMIT: '6/min',
      AUTOFILL_DAILY_VENDOR_CALLS: '2',
    };
    for (let i = 0; i < 2; i++) replicas.push(await startSubgraph({ emulator, env }));
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await emulator?.close();
  });

  it('a client alternating between replicas is limited once; the budget is spent once for both', async () => {
    const [a, b, c] = legalEntityInns(3, 64);
    const statuses: number[] = [];
    for (const inn of [a, b, c]) {
      for (const replica of replicas) statuses.push((await lookup(replica.url, inn!)).status);
    }
    // a and b: two paid calls (the second replica reads the first's answer); c: over the shared budget.
    expect(statuses).toEqual([200, 200, 200, 200, 503, 503]);
    expect(reqIds(emulator).sort()).toEqual([a, b].sort());
    expect((await lookup(replicas[0]!.url, a!)).status).toBe(429);
    expect((await lookup(replicas[1]!.url, a!)).status).toBe(429);
  });
});
