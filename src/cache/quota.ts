import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** So many points per key in a window that starts with the key's first point (rate-limiter-flexible's fixed window). */
export interface QuotaRule {
  points: number;
  durationMs: number;
  /** With Redis: count in process while Redis fails (default). False: fail instead (a budget of money). */
  insured?: boolean;
}

export type QuotaTake = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/**
 * Points per key — a client's requests per minute, a route's vendor calls per day — counted with rate-limiter-flexible:
 * in Redis when the cache is (one count for every replica; with an in-process count as its insurance while Redis
 * fails, unless the rule says not), else in this process. Not a vendor's call limit (that is `CallLimiter`, whose slots never let a window see
 * more than the limit): a quota counts what a caller may spend, and a fixed window is what its callers are told.
 */
export class Quota {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  /** Takes `points` for `key`, or answers how long until the key's window ends (nothing taken then). */
  async take(key: string, points = 1): Promise<QuotaTake> {
    try {
      const taken = await this.limiter.consume(key, points);
      return { allowed: true, remaining: taken.remainingPoints };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        // A refused take still counted its points: given back, so a refusal never eats what a later take may use.
        await this.limiter.reward(key, points);
        return { allowed: false, retryAfterMs: rejection.msBeforeNext };
      }
      throw rejection;
    }
  }

  /** Gives points back (something reserved was not spent). */
  async giveBack(key: string, points = 1): Promise<void> {
    await this.limiter.reward(key, points);
  }
}

/** rate-limiter-flexible counts whole seconds: rounded up, a window never ends early. */
function seconds(rule: QuotaRule): number {
  return Math.max(1, Math.ceil(rule.durationMs / 1000));
}

export function memoryQuota(rule: QuotaRule): Quota {
  return new Quota(new RateLimiterMemory({ points: rule.points, duration: seconds(rule) }));
}

/**
 * A quota in Redis through the cache's node-redis client (`useRedisPackage`). Insured (the default): while Redis fails,
 * each process counts on its own. A limit that must hold across replicas, like a budget of money, is not insured: its
 * take then throws, and the caller refuses.
 */
export function redisQuota(client: object, keyPrefix: string, rule: QuotaRule): Quota {
  const duration = seconds(rule);
  const insurance = rule.insured === false ? {} : { insuranceLimiter: new RateLimiterMemory({ points: rule.points, duration }) };
  return new Quota(
    new RateLimiterRedis({ storeClient: client, useRedisPackage: true, keyPrefix, points: rule.points, duration, ...insurance }),
  );
}
