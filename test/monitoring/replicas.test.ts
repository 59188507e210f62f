import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { reachable, startServerProcess, type ServerProcess } from '../support/processes.ts';
import { startEmulator, TEST_FOCUS_KEY } from '../support/subgraph.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[monitoring/replicas.test] skipping: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!redisUp)(`three replicas with the monitoring job, one Redis (${REDIS_URL})`, () => {
  const namespace = `monitoring-replicas-${process.pid}-${Date.now()}`;
  const leaseKey = `${namespace}:lease:v3:monitoring:runner`;
  const redis = createClient({ url: REDIS_URL });
  let emulator: FocusEmulator;
  let replicas: ServerProcess[] = [];
  /** Runs of the job seen by the vendor: each reads the req change lists of yesterday and today. */
  const runs = () => emulator.callsTo('req/mon').length / 2;

  beforeAll(async () => {
    await redis.connect();
    emulator = await startEmulator();
    const env = {
      FOCUS_BASE_URL: emulator.url,
      FOCUS_API_KEY: TEST_FOCUS_KEY,
      CACHE_URL: REDIS_URL,
      CACHE_NAMESPACE: namespace,
      FOCUS_MONITORING_INTERVAL: '1s',
    };
    replicas = await Promise.all([startServerProcess(env), startServerProcess(env), startServerProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(replicas.map((replica) => replica.stop()));
    await emulator?.close();
    await redis.del(leaseKey).catch(() => undefined);
    await redis.quit().catch(() => undefined);
  });

  /** The pid in the lease's value (host:pid:random), once some replica holds it. */
  async function holderPid(deadlineMs = 10_000): Promise<number> {
    for (const started = Date.now(); Date.now() - started < deadlineMs; await sleep(100)) {
      const holder = await redis.get(leaseKey);
      if (holder) return Number(holder.split(':')[1]);
    }
    throw new Error('no replica took the lease');
  }

  it('configured alike, they run the job once per interval in total; the holder killed, another takes over', async () => {
    emulator.resetCalls();
    const started = Date.now();
    await sleep(5_000);
    const intervals = (Date.now() - started) / 1_000;
    // One runner at a 1 s interval: at most one run per interval begun (three uncoordinated replicas made about 14).
    expect(runs()).toBeGreaterThanOrEqual(1);
    expect(runs()).toBeLessThanOrEqual(Math.ceil(intervals) + 1);
    expect(emulator.callsTo('req/mon').length % 2).toBe(0);

    const victimPid = await holderPid();
    const victim = replicas.find((replica) => replica.pid === victimPid);
    expect(victim).toBeDefined();
    process.kill(victimPid, 'SIGKILL');
    replicas = replicas.filter((replica) => replica !== victim);

    // The lease lapses 2 s after its last renewal (interval + 1 s); the next replica to tick takes it and runs.
    emulator.resetCalls();
    for (const waitStarted = Date.now(); runs() < 1 && Date.now() - waitStarted < 15_000;) await sleep(100);
    expect(runs()).toBeGreaterThanOrEqual(1);
    expect(replicas.map((replica) => replica.pid)).toContain(await holderPid());
  }, 45_000);
});
