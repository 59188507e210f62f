import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSupergraph, type Supergraph } from '../../deploy/supergraph/stack.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { startCollector, until } from '../support/otlp-collector.ts';
import { reachable } from '../support/processes.ts';
import { startEmulator, TEST_FOCUS_KEY } from '../support/subgraph.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[platform/tracing-gateway.test] skipping: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

const ROUTER_SECRET = 'tracing-gateway-router-secret-01';
const QUERY = 'query CompanyThroughGateway($inns: [String!]!) { companies(inns: $inns) { inn shortName } }';

describe.skipIf(!redisUp)('one operation through Hive Gateway is one trace, from the gateway to the vendor call', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let emulator: FocusEmulator;
  let stack: Supergraph;

  beforeAll(async () => {
    collector = await startCollector();
    emulator = await startEmulator();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' };
    stack = await startSupergraph({
      replicas: 3,
      env: {
        FOCUS_BASE_URL: emulator.url,
        FOCUS_API_KEY: TEST_FOCUS_KEY,
        CACHE_URL: REDIS_URL,
        CACHE_NAMESPACE: `tracing-gateway-${process.pid}-${Date.now()}`,
        ROUTER_SECRET,
        ...otel,
      },
      gatewayEnv: otel,
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await emulator?.close();
    await collector?.close();
  });

  it("the gateway's span parents the subgraph's server span, which holds the operation span and one span per vendor call; no INN, key or secret", async () => {
    // Two companies, cold: one req call of two INNs.
    const inns = legalEntityInns(2, 71);
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { inns } }),
    });
    const answer = (await response.json()) as any;
    expect(answer.errors).toBeUndefined();
    expect(answer.data.companies.map((company: { inn: string }) => company.inn)).toEqual(inns);
    expect(emulator.callsTo('req')).toHaveLength(1);

    const vendorSpans = () => collector.spans.filter((span) => span.name === 'vendor kontur-focus req');
    const serverSpan = () =>
      collector.spans.find(
        (span) =>
          span.name === 'POST /graphql' &&
          span.scope === '@opentelemetry/instrumentation-http' &&
          span.traceId === vendorSpans()[0]?.traceId,
      );
    // The gateway exports its spans when they end, after the subgraph's: wait for the server span's parent too.
    await until(() => vendorSpans().length === 1 && collector.spans.some((span) => span.spanId === serverSpan()?.parentSpanId), 20_000);
    const [vendor] = vendorSpans();
    const trace = collector.spans.filter((span) => span.traceId === vendor!.traceId);
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const ancestors = (span: (typeof trace)[number]) => {
      const chain = [];
      for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) chain.push(parent);
      return chain;
    };

    // The subgraph's server span is a child of a span the gateway exported (its subgraph-execution / HTTP fetch span).
    const server = serverSpan()!;
    const gatewayParent = byId.get(server.parentSpanId)!;
    expect(gatewayParent.scope).toBe('gateway');
    // …and the gateway's own spans lead up to its root: one trace from the client's request to the vendor.
    expect(ancestors(gatewayParent).every((span) => span.scope === 'gateway')).toBe(true);
    // The operation span and the vendor span descend from the server span, in the same trace.
    const operation = trace.find((span) => span.name === 'query CompanyThroughGateway' && ancestors(span).includes(server))!;
    expect(operation).toBeDefined();
    expect(ancestors(vendor!)).toContain(server);
    expect(vendor!.attributes).toMatchObject({
      'vendor.name': 'kontur-focus',
      'vendor.method': 'req',
      'vendor.identifiers': 2,
      'vendor.outcome': 'ok',
      'vendor.retries': 0,
    });
    expect(trace.filter((span) => span.name.startsWith('vendor '))).toHaveLength(1);

    const exported = collector.bodies.join('\n');
    for (const secret of [...inns, TEST_FOCUS_KEY, ROUTER_SECRET]) expect(exported).not.toContain(secret);
  }, 60_000);
});
