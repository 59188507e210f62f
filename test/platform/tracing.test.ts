import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { startCollector, until } from '../support/otlp-collector.ts';
import { startServerProcess, type ServerProcess } from '../support/processes.ts';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { startEmulator, TEST_FOCUS_KEY, TEST_ROUTER_SECRET } from '../support/subgraph.ts';

function randomHex(bytes: number): string {
  return Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');
}

async function operation(server: ServerProcess, query: string, headers: Record<string, string>): Promise<any> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'router-authorization': TEST_ROUTER_SECRET, ...headers },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

describe('tracing (OpenTelemetry)', () => {
  let emulator: FocusEmulator;
  let collector: Awaited<ReturnType<typeof startCollector>>;

  beforeAll(async () => {
    emulator = await startEmulator();
    collector = await startCollector();
  });
  afterAll(async () => {
    await emulator?.close();
    await collector?.close();
  });

  describe('with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServerProcess({
        FOCUS_BASE_URL: emulator.url,
        FOCUS_API_KEY: TEST_FOCUS_KEY,
        ROUTER_SECRET: TEST_ROUTER_SECRET,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'counterparty-subgraph-test',
        // As in the test without an endpoint: here the module trace must show the SDK loaded (the check can fail).
        NODE_DEBUG: 'module',
      });
    });
    afterAll(async () => {
      // SIGTERM: the drain, then the SDK's flush, then exit 0 (main.ts's one shutdown path).
      expect(await server?.stop()).toBe(0);
    });

    it('one operation under the router’s traceparent: one trace with the server span under the router’s span, the GraphQL operation span, and one span per vendor call with counts and outcome', async () => {
      const [inn] = legalEntityInns(1, 31);
      const traceId = randomHex(16);
      const parentSpanId = randomHex(8);
      const answer = await operation(server, `query CompanyCard { company(inn: "${inn}") { shortName } }`, {
        traceparent: `00-${traceId}-${parentSpanId}-01`,
      });
      expect(answer.errors).toBeUndefined();
      expect(answer.data.company.shortName).toEqual(expect.any(String));
      expect(emulator.calls).toHaveLength(1);

      const ofTrace = () => collector.spans.filter((span) => span.traceId === traceId);
      await until(
        () =>
          ofTrace().some((span) => span.kind === 2 && span.parentSpanId === parentSpanId) &&
          ofTrace().some((span) => span.name.startsWith('vendor ')),
      );
      // Whatever else arrives a moment later (the batch may be split).
      await new Promise((resolve) => setTimeout(resolve, 300));
      const spans = ofTrace();

      // The server span (SERVER = 2) is the child of the router's span; every other span descends from it.
      const servers = spans.filter((span) => span.kind === 2);
      expect(servers).toHaveLength(1);
      const serverSpan = servers[0]!;
      expect(serverSpan.parentSpanId).toBe(parentSpanId);
      expect(serverSpan.attributes['http.request.method']).toBe('POST');
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      for (const span of spans) {
        let at = span;
        while (at !== serverSpan) {
          const parent = byId.get(at.parentSpanId);
          expect(parent, `${span.name} descends from the server span`).toBeDefined();
          at = parent!;
        }
      }

      expect(serverSpan.name).toBe('POST /graphql');
      expect(serverSpan.attributes['http.route']).toBe('/graphql');

      // The GraphQL operation span, named by its type and name, with the source (every value replaced) and no variables.
      const execute = spans.filter((span) => span.name === 'query CompanyCard');
      expect(execute, spans.map((span) => span.name).join(', ')).toHaveLength(1);
      expect(execute[0]!.attributes).toEqual({
        'graphql.operation.type': 'query',
        'graphql.operation.name': 'CompanyCard',
        'graphql.source': 'query CompanyCard { company(inn: "*") { shortName } }',
      });
      expect(execute[0]!.parentSpanId).toBe(serverSpan.spanId);

      // Exactly one vendor call span, with counts and outcome.
      const vendorSpans = spans.filter((span) => span.name.startsWith('vendor '));
      expect(vendorSpans.map((span) => span.name)).toEqual(['vendor kontur-focus req']);
      const vendor = vendorSpans[0]!;
      expect(vendor.attributes).toEqual({
        'vendor.name': 'kontur-focus',
        'vendor.method': 'req',
        'vendor.identifiers': 1,
        'vendor.outcome': 'ok',
        'vendor.retries': 0,
      });
      expect(vendor.status.code ?? 0).not.toBe(2);
      // Its HTTP attempt (undici, CLIENT = 3) is its child, the URL's query values dropped.
      const attempts = spans.filter((span) => span.parentSpanId === vendor.spanId);
      expect(attempts).toHaveLength(1);
      expect(attempts[0]!.kind).toBe(3);
      expect(attempts[0]!.attributes['url.full']).toBe(`${emulator.url}/req?inn=REDACTED&key=REDACTED`);
      expect(attempts[0]!.attributes['http.response.status_code']).toBe(200);

      // No INN, key or secret anywhere in what was exported: attributes, events, names, resource.
      const exported = collector.bodies.join('\n');
      expect(exported).toContain(traceId);
      for (const secret of [inn!, TEST_FOCUS_KEY, TEST_ROUTER_SECRET]) expect(exported).not.toContain(secret);
      expect(server.output()).toContain('@opentelemetry/sdk-node');
      expect(spans[0]!.raw).toMatchObject({
        resource: { attributes: expect.arrayContaining([{ key: 'service.name', value: { stringValue: 'counterparty-subgraph-test' } }]) },
      });
    });

    it('a retried vendor call: one vendor span with vendor.retries 1 and both HTTP attempts as its children', async () => {
      const [inn] = legalEntityInns(1, 32);
      emulator.injectFault({ fault: { kind: 'status', status: 503 }, methods: ['req'], times: 1, whenIdsInclude: [inn!] });
      const traceId = randomHex(16);
      const answer = await operation(server, `{ company(inn: "${inn}") { shortName } }`, {
        traceparent: `00-${traceId}-${randomHex(8)}-01`,
      });
      expect(answer.errors).toBeUndefined();
      const ofTrace = () => collector.spans.filter((span) => span.traceId === traceId);
      await until(
        () => ofTrace().some((span) => span.name.startsWith('vendor ')) && ofTrace().filter((span) => span.kind === 3).length >= 2,
      );
      const spans = ofTrace();
      const vendor = spans.filter((span) => span.name.startsWith('vendor '));
      expect(vendor).toHaveLength(1);
      expect(vendor[0]!.attributes).toMatchObject({ 'vendor.identifiers': 1, 'vendor.outcome': 'ok', 'vendor.retries': 1 });
      const attempts = spans.filter((span) => span.parentSpanId === vendor[0]!.spanId);
      expect(attempts.map((span) => span.attributes['http.response.status_code'])).toEqual([503, 200]);
      expect(collector.bodies.join('\n')).not.toContain(inn!);
    });
  });

  describe.skipIf(!redisServerAvailable())('with Redis as the cache (CACHE_URL)', () => {
    let server: ServerProcess;
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedisServer();
      server = await startServerProcess({
        FOCUS_BASE_URL: emulator.url,
        FOCUS_API_KEY: TEST_FOCUS_KEY,
        ROUTER_SECRET: TEST_ROUTER_SECRET,
        CACHE_URL: redis.url,
        CACHE_NAMESPACE: `tracing-${process.pid}`,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      });
    });
    afterAll(async () => {
      await server?.stop();
      await redis?.kill();
    });

    it('cache reads and writes are spans with counts: cold, all misses and a write; warm, all hits and no vendor call', async () => {
      const [inn] = legalEntityInns(1, 34);
      const traced = async () => {
        const traceId = randomHex(16);
        const answer = await operation(server, `query Card { company(inn: "${inn}") { shortName } }`, {
          traceparent: `00-${traceId}-${randomHex(8)}-01`,
        });
        expect(answer.errors).toBeUndefined();
        const ofTrace = () => collector.spans.filter((span) => span.traceId === traceId);
        await until(() => ofTrace().some((span) => span.kind === 2));
        await new Promise((resolve) => setTimeout(resolve, 300));
        return ofTrace();
      };

      const cold = await traced();
      const coldReads = cold.filter((span) => span.name === 'cache getMany');
      expect(coldReads.length).toBeGreaterThan(0);
      for (const read of coldReads) {
        expect(read.attributes).toEqual({
          'cache.kind': 'redis',
          'cache.keys': read.attributes['cache.keys'],
          'cache.hits': 0,
          'cache.misses': read.attributes['cache.keys'],
          'cache.outcome': 'ok',
        });
        expect(read.attributes['cache.keys']).toBeGreaterThan(0);
      }
      expect(cold.filter((span) => span.name.startsWith('vendor '))).toHaveLength(1);
      const writes = cold.filter((span) => span.name === 'cache setMany');
      expect(writes.length).toBeGreaterThan(0);
      expect(writes[0]!.attributes).toMatchObject({ 'cache.kind': 'redis', 'cache.outcome': 'ok' });

      const warm = await traced();
      const warmReads = warm.filter((span) => span.name === 'cache getMany');
      expect(warmReads.length).toBeGreaterThan(0);
      for (const read of warmReads)
        expect(read.attributes).toMatchObject({ 'cache.hits': read.attributes['cache.keys'], 'cache.misses': 0 });
      expect(warm.filter((span) => span.name.startsWith('vendor '))).toEqual([]);

      const exported = collector.bodies.join('\n');
      expect(exported).not.toContain(inn!);
      expect(exported).not.toContain(TEST_FOCUS_KEY);
    });
  });

  it('without an endpoint: nothing exported, and the SDK is never loaded', async () => {
    const before = collector.bodies.length;
    const server = await startServerProcess({
      FOCUS_BASE_URL: emulator.url,
      FOCUS_API_KEY: TEST_FOCUS_KEY,
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
      // Every CommonJS module the process loads is traced by Node to stderr: none may be of @opentelemetry/ but the API.
      NODE_DEBUG: 'module',
    });
    try {
      const [inn] = legalEntityInns(1, 33);
      const answer = await operation(server, `{ company(inn: "${inn}") { shortName } }`, {
        traceparent: `00-${randomHex(16)}-${randomHex(8)}-01`,
      });
      expect(answer.errors).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(collector.bodies.length).toBe(before);
      const loaded = new Set(server.output().match(/@opentelemetry\/[\w-]+/g) ?? []);
      expect([...loaded]).toEqual(['@opentelemetry/api']);
    } finally {
      await server.stop();
    }
  });
});
