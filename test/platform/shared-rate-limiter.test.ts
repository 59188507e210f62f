import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedRateLimiter } from '../../src/cache/shared-rate-limiter.ts';
import { RateLimitExceeded, RateLimiter } from '../../src/vendors/rate-limiter.ts';
import { freePort, reachable } from '../support/processes.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[platform/shared-rate-limiter.test] skipping: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

const LIMIT = { calls: 3, windowMs: 60_000 };

describe.skipIf(!redisUp)('the rate limit shared through Redis (rate-limiter-flexible slots)', () => {
  const redis = createClient({ url: REDIS_URL });
  const prefix = `shared-limit-test-${process.pid}-${Date.now()}`;
  const errors: unknown[] = [];
  /** Two "replicas": two limiters on the same keys, each with its own in-process fallback. */
  const limiter = () => new SharedRateLimiter(redis, prefix, LIMIT, new RateLimiter(LIMIT), (error) => errors.push(error));

  beforeAll(async () => {
    await redis.connect();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  });

  it('grants the limit in total over the replicas, then refuses at once with the time a slot frees', async () => {
    const [a, b] = [limiter(), limiter()];
    await a.acquire(0);
    await b.acquire(0);
    await a.acquire(0);
    const refused = await b.acquire(0).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitExceeded);
    // A slot is taken for the window plus the 1 s margin, in whole seconds: 61 s, minus the few ms since.
    expect((refused as RateLimitExceeded).retryAfterMs).toBeGreaterThan(60_000);
    expect((refused as RateLimitExceeded).retryAfterMs).toBeLessThanOrEqual(61_000);
    expect(errors).toEqual([]);
    expect(await redis.keys(`${prefix}*`)).toHaveLength(3);
  });

  it('falls back to its own in-process limit while Redis fails, and says so', async () => {
    const deadRedis = createClient({ url: `redis://127.0.0.1:${await freePort()}`, disableOfflineQueue: true });
    deadRedis.on('error', () => undefined);
    const seen: unknown[] = [];
    const orphan = new SharedRateLimiter(deadRedis, prefix, LIMIT, new RateLimiter(LIMIT), (error) => seen.push(error));
    for (let i = 0; i < 3; i++) (await orphan.acquire(0))();
    await expect(orphan.acquire(0)).rejects.toBeInstanceOf(RateLimitExceeded);
    expect(seen).toHaveLength(4);
    expect(String((seen[0] as Error).message)).toMatch(/closed|not (open|ready)|offline/i);
  });
});
