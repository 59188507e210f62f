import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import type { StoreBackend, StoredEntry } from './backend.ts';
import { decode, encode } from './codec.ts';
import { RedisLease, type Lease, type LeaseCommands } from './lease.ts';
import { RedisClaims, type ClaimCommands, type Claims } from './claims.ts';
import { SharedRateLimiter } from './shared-rate-limiter.ts';
import { redisQuota, type Quota, type QuotaRule } from './quota.ts';
import type { CallLimiter, RateLimit, RateLimiter } from '../vendors/rate-limiter.ts';

interface RedisAdapter {
  getClient(): Promise<unknown>;
  client: { isReady: boolean };
}

/**
 * Redis, shared by the replicas: keyv over @keyv/redis (namespaces, MGET, pipelined writes, TTLs in Redis), with the
 * one codec of shared stores (codec.ts) instead of keyv's default serialiser, whose reviver runs on every string.
 */
export class RedisStore implements StoreBackend {
  readonly kind = 'redis';
  private readonly keyv: Keyv;
  private readonly adapter: RedisAdapter;
  /** The first connection attempt, started at construction; the client reconnects by itself after that. */
  readonly connecting: Promise<unknown>;

  constructor(
    url: string,
    private readonly namespace: string,
    onError: (operation: string, error: unknown) => void,
  ) {
    const adapter = new KeyvRedis(
      {
        url,
        // Fail commands at once while disconnected instead of queueing them: the vendor answers meanwhile.
        disableOfflineQueue: true,
        socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000) },
      },
      { namespace, throwOnConnectError: false, throwOnErrors: true },
    );
    this.keyv = new Keyv({
      store: adapter,
      namespace,
      useKeyPrefix: false,
      throwOnErrors: true,
      serialize: encode,
      deserialize: (text: string) => decode(text) as never,
    });
    this.adapter = adapter as unknown as RedisAdapter;
    this.keyv.on('error', (error: unknown) => onError('event', error));
    this.connecting = this.adapter.getClient().catch((error: unknown) => onError('connect', error));
  }

  /** A lease on `name` in this Redis, under the store's namespace. */
  lease(name: string): Lease {
    return new RedisLease(() => this.adapter.getClient() as Promise<LeaseCommands>, `${this.namespace}:lease:${name}`);
  }

  /** Claims on cache keys in this Redis, under the store's namespace, each lasting `ttlMs`. */
  claims(ttlMs: number): Claims {
    return new RedisClaims(() => this.adapter.getClient() as Promise<ClaimCommands>, `${this.namespace}:claim:`, ttlMs);
  }

  /** A rate limit shared by the replicas (falling back to `local` while Redis fails). */
  rateLimiter(name: string, limit: RateLimit, local: RateLimiter, onError: (error: unknown) => void): CallLimiter {
    return new SharedRateLimiter(this.adapter.client, `${this.namespace}:ratelimit:${name}`, limit, local, onError);
  }

  /** Points per key shared by the replicas, insured by an in-process count while Redis fails. */
  quota(name: string, rule: QuotaRule): Quota {
    return redisQuota(this.adapter.client, `${this.namespace}:quota:${name}`, rule);
  }

  get connected(): boolean {
    return this.adapter.client.isReady;
  }

  async getMany(keys: readonly string[]): Promise<unknown[]> {
    return this.keyv.getMany([...keys]);
  }

  async setMany(entries: readonly StoredEntry[]): Promise<void> {
    await this.keyv.setMany(entries.map(({ key, value, ttlMs }) => ({ key, value, ttl: ttlMs })));
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    await this.keyv.deleteMany([...keys]);
  }

  async ping(): Promise<void> {
    await this.keyv.set('ping', 1, 10_000);
  }

  async close(): Promise<void> {
    await this.keyv.disconnect();
  }
}
