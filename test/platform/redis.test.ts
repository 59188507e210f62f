import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { postGraphQL, reachable, startServerProcess, type ServerProcess } from '../support/processes.ts';
import { startEmulator, startSubgraph, TEST_FOCUS_KEY } from '../support/subgraph.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[redis.test] skipping the shared-Redis tests: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

const NAMES = `query ($inns: [String!]!) { companies(inns: $inns) { inn shortName status { code } } }`;

describe.skipIf(!redisUp)(`two replicas sharing one Redis (${REDIS_URL})`, () => {
  let emulator: FocusEmulator;
  let replicas: ServerProcess[] = [];

  beforeAll(async () => {
    emulator = await startEmulator();
    const env = {
      FOCUS_BASE_URL: emulator.url,
      FOCUS_API_KEY: TEST_FOCUS_KEY,
      CACHE_URL: REDIS_URL,
      CACHE_NAMESPACE: `redis-test-${process.pid}-${Date.now()}`,
    };
    replicas = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(replicas.map((replica) => replica.stop()));
    await emulator?.close();
  });

  it('what one process fetched costs the other 0 calls', async () => {
    const inns = legalEntityInns(250, 31);
    const first = await postGraphQL(replicas[0]!.url, NAMES, { inns });
    expect(first.errors).toBeUndefined();
    expect(emulator.callsTo('req')).toHaveLength(3);

    emulator.resetCalls();
    const second = await postGraphQL(replicas[1]!.url, NAMES, { inns });
    expect(second.errors).toBeUndefined();
    expect(second.data).toEqual(first.data);
    expect(emulator.calls).toHaveLength(0);
  });

  it('a replica exits with code 0 on SIGTERM, Redis connection and all', async () => {
    const exitCode = await replicas[0]!.stop();
    expect(exitCode).toBe(0);
    expect(replicas[0]!.output()).toContain('shutting down: finishing in-flight operations');
  });
});

describe.skipIf(!redisUp)(`production replicas sharing one Redis (${REDIS_URL}) sign document links alike`, () => {
  let emulator: FocusEmulator;
  let replicas: ServerProcess[] = [];
  const env = () => ({
    NODE_ENV: 'production',
    FOCUS_BASE_URL: emulator.url,
    FOCUS_API_KEY: TEST_FOCUS_KEY,
    CACHE_URL: REDIS_URL,
    CACHE_NAMESPACE: `documents-test-${process.pid}-${Date.now()}`,
  });

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await Promise.allSettled(replicas.map((replica) => replica.stop()));
    await emulator?.close();
  });

  it('without DOCUMENT_SIGNING_SECRET a replica refuses to start, naming it', async () => {
    await expect(startServerProcess(env())).rejects.toThrow(
      'DOCUMENT_SIGNING_SECRET: required in production when CACHE_URL is set (replicas sharing the cache must sign document links alike)',
    );
  });

  it('with it, a link one replica made downloads from the other', async () => {
    const shared = { ...env(), DOCUMENT_SIGNING_SECRET: 'document-signing-secret-0123' };
    replicas = await Promise.all([startServerProcess(shared), startServerProcess(shared)]);
    const answer = await postGraphQL(replicas[0]!.url, `query ($inn: String!) { company(inn: $inn) { excerpt { url } } }`, {
      inn: '7700000009',
    });
    expect(answer.errors).toBeUndefined();
    const link: string = answer.data.company.excerpt.url;
    const download = await fetch(`${replicas[1]!.url}${link}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });
});

describe('cache store down', () => {
  it('with CACHE_URL at a dead Redis, queries answer from the vendor without errors', async () => {
    const emulator = await startEmulator();
    const subgraph = await startSubgraph({ emulator, env: { CACHE_URL: 'redis://127.0.0.1:1' } });
    try {
      const inns = legalEntityInns(3, 32);
      const first = await subgraph.gql(NAMES, { inns });
      expect(first.errors).toBeUndefined();
      expect(first.data.companies.map((c: { inn: string }) => c.inn)).toEqual(inns);
      expect(emulator.callsTo('req')).toHaveLength(1);
      expect(subgraph.logs.join('')).toContain('cache store failed; answering from the vendor');
    } finally {
      await subgraph.close();
      await emulator.close();
    }
  });
});
