import { createClient } from '@redis/client';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBalancer } from '../../deploy/supergraph/balancer.ts';
import { startSupergraph, type Supergraph } from '../../deploy/supergraph/stack.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { metricsText } from '../support/metrics.ts';
import { freePort, reachable } from '../support/processes.ts';
import { startEmulator, TEST_FOCUS_KEY } from '../support/subgraph.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[platform/supergraph.test] skipping the supergraph tests: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

const DEALS = `{ deals { id title company { inn shortName } } }`;

/** The CRM's sample deals joined to the counterparty subgraph's companies (captured Kontur.Focus responses). */
const EXPECTED_DEALS = [
  { id: 'deal-1', title: 'CRM licences for the accounting department', company: { inn: '6663003127', shortName: 'АО "ПФ "СКБ Контур"' } },
  { id: 'deal-2', title: 'Pipeline sensors, pilot batch', company: { inn: '7736050003', shortName: 'ПАО "ГАЗПРОМ"' } },
  { id: 'deal-3', title: 'Freight wagon telemetry', company: { inn: '7708503727', shortName: 'ОАО "РЖД"' } },
  { id: 'deal-4', title: 'Spare parts supply (old contract)', company: { inn: '4401006984', shortName: 'ОАО "Мотордеталь"' } },
  // Unknown to the registry: this subgraph's _entities answers null for it, and the gateway keeps the key field the
  // CRM sent, so every field of ours is null (README, "In a supergraph").
  { id: 'deal-5', title: 'Lead from the website form', company: { inn: '0012345673', shortName: null } },
];

async function throughGateway(url: string, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

/** GraphQL operations a replica has run so far, every operation name and outcome summed. */
async function operationsRun(replicaUrl: string): Promise<number> {
  return (await metricsText(replicaUrl))
    .split('\n')
    .filter((line) => line.startsWith('graphql_operations_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe.skipIf(!redisUp)(`npm run supergraph's stack: three replicas, one Redis (${REDIS_URL}), Hive Gateway`, () => {
  const namespace = `supergraph-test-${process.pid}-${Date.now()}`;
  let emulator: FocusEmulator;
  let stack: Supergraph;

  beforeAll(async () => {
    emulator = await startEmulator();
    stack = await startSupergraph({
      replicas: 3,
      env: { FOCUS_BASE_URL: emulator.url, FOCUS_API_KEY: TEST_FOCUS_KEY, CACHE_URL: REDIS_URL, CACHE_NAMESPACE: namespace },
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await emulator?.close();
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${namespace}:*`, COUNT: 500 })) if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  }, 60_000);

  it('one operation through the gateway joins the CRM deals to the counterparty companies by INN', async () => {
    const { status, body } = await throughGateway(stack.gatewayUrl, DEALS);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.deals).toEqual(EXPECTED_DEALS);

    const one = await throughGateway(stack.gatewayUrl, `{ deal(id: "deal-4") { stage amount company { inn shortName status { code } } } }`);
    expect(one.body).toEqual({
      data: {
        deal: {
          stage: 'LOST',
          amount: '310000.00',
          company: { inn: '4401006984', shortName: 'ОАО "Мотордеталь"', status: { code: 'LIQUIDATED' } },
        },
      },
    });
  }, 30_000);

  it('six sequential operations reach all three replicas, which share one cache (no vendor call once it is warm)', async () => {
    await throughGateway(stack.gatewayUrl, DEALS); // warm: whichever replica answers writes the four INNs to Redis
    const before = await Promise.all(stack.replicas.map((replica) => operationsRun(replica.url)));
    emulator.resetCalls();
    for (let i = 0; i < 6; i++) {
      const { body } = await throughGateway(stack.gatewayUrl, DEALS);
      expect(body).toEqual({ data: { deals: EXPECTED_DEALS } });
    }
    const after = await Promise.all(stack.replicas.map((replica) => operationsRun(replica.url)));
    const served = after.map((count, i) => count - before[i]!);
    // One `_entities` fetch per gateway operation, round robin over the replicas.
    expect(served).toEqual([2, 2, 2]);
    expect(emulator.calls).toHaveLength(0);
  }, 30_000);

  it('a replica killed with SIGKILL: the next operations through the gateway still succeed, on the other two', async () => {
    const [first, victim, third] = stack.replicas;
    victim!.kill('SIGKILL');
    await victim!.exited;
    const before = await Promise.all([first!, third!].map((replica) => operationsRun(replica.url)));
    for (let i = 0; i < 6; i++) {
      const { status, body } = await throughGateway(stack.gatewayUrl, DEALS);
      expect(status).toBe(200);
      expect(body).toEqual({ data: { deals: EXPECTED_DEALS } });
    }
    const after = await Promise.all([first!, third!].map((replica) => operationsRun(replica.url)));
    const served = after.map((count, i) => count - before[i]!);
    // The dead replica's turns go to the next one in the ring: both survivors serve, six operations in all.
    expect(served[0]).toBeGreaterThanOrEqual(1);
    expect(served[1]).toBeGreaterThanOrEqual(1);
    expect(served[0]! + served[1]!).toBe(6);
  }, 30_000);
});

describe('the round-robin balancer', () => {
  it('answers 502 with a GraphQL-shaped error when no replica accepts the connection', async () => {
    const balancer = await startBalancer({ targets: [`http://127.0.0.1:${await freePort()}`, `http://127.0.0.1:${await freePort()}`] });
    try {
      const { status, body } = await throughGateway(`${balancer.url}/graphql`, '{ __typename }');
      expect(status).toBe(502);
      expect(body.errors[0].extensions.code).toBe('BAD_GATEWAY');
      expect(body.errors[0].message).toMatch(/^No replica accepted the connection \(tried 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+\)$/);
    } finally {
      await balancer.close();
    }
  });

  it('forwards every request header (traceparent, router-authorization) and skips a replica that refuses', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const replica = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json', 'x-replica': 'up' }).end('{"data":{"ok":true}}');
    });
    await new Promise<void>((resolve) => replica.listen(0, '127.0.0.1', resolve));
    const up = `http://127.0.0.1:${(replica.address() as AddressInfo).port}`;
    const balancer = await startBalancer({ targets: [`http://127.0.0.1:${await freePort()}`, up] });
    try {
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      for (let i = 0; i < 4; i++) {
        const response = await fetch(`${balancer.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', traceparent, 'router-authorization': 'secret-value' },
          body: '{"query":"{ ok }"}',
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('x-replica')).toBe('up');
        expect(await response.json()).toEqual({ data: { ok: true } });
      }
      expect(seen).toHaveLength(4);
      for (const headers of seen) {
        expect(headers.traceparent).toBe(traceparent);
        expect(headers['router-authorization']).toBe('secret-value');
      }
      expect(balancer.sent.get(up)).toBe(4);
    } finally {
      await balancer.close();
      await new Promise((resolve) => replica.close(resolve));
    }
  });
});
