import type { Logger } from '../observability/logger.ts';
import { tracingEnabled, withSpan } from '../observability/tracing.ts';
import type { StoreBackend } from './backend.ts';
import { MemoryStore } from './memory-store.ts';
import { RedisStore } from './redis-store.ts';
import { LOCAL_LEASE, type Lease } from './lease.ts';
import type { Claims } from './claims.ts';
import { memoryQuota, type Quota, type QuotaRule } from './quota.ts';
import { RateLimiter, type CallLimiter, type RateLimit } from '../vendors/rate-limiter.ts';

/**
 * Keys are namespaced (CACHE_NAMESPACE: one Redis can serve several deployments) and versioned.
 * Bump the version whenever the shape or the encoding of cached values changes (a method's stored form, Fetched,
 * codec.ts): replicas on the old version then never read the new entries, and the reverse.
 * v3: values in memory are objects, in Redis the codec of codec.ts; `req` is stored mapped to the domain's CompanyRecord.
 */
export const CACHE_KEY_VERSION = 'v3';

export interface CacheStoreOptions {
  url: string | undefined;
  namespace: string;
  maxEntries: number;
  /** Bound of the in-memory store by the estimated heap size of what it holds (src/cache/heap-size.ts). */
  maxMemoryBytes?: number;
  /** How long one cache operation may take before the answer comes from the vendor instead. */
  operationTimeoutMs: number;
  /** How long a replica's claim on an identifier it is fetching lasts (CACHE_CLAIM_TTL); Redis only. */
  claimTtlMs?: number;
}

export interface TimedValue<T> {
  value: T;
  ttlMs: number;
}

/**
 * The process-wide cache: values in this process (a bounded LRU), or in Redis when CACHE_URL is set so replicas share
 * it. Every Redis operation is guarded: if the store is down, slow or failing, reads count as misses and writes are
 * dropped, and the failure is logged. A query never fails, nor waits, because the cache is down.
 */
export class CacheStore {
  readonly kind: 'memory' | 'redis';
  private readonly backend: StoreBackend;
  private readonly redis: RedisStore | undefined;
  private lastErrorLoggedAt = 0;

  constructor(
    private readonly options: CacheStoreOptions,
    private readonly logger: Logger,
  ) {
    this.redis = options.url
      ? new RedisStore(`${options.url}`, options.namespace, (operation, error) => this.logFailure(operation, error))
      : undefined;
    this.backend = this.redis ?? new MemoryStore(options.maxEntries, options.maxMemoryBytes ?? 256 * 1024 ** 2);
    this.kind = this.backend.kind;
  }

  /** Connects to Redis (bounded wait); the server calls this before it listens. A failure is logged, never thrown. */
  async connect(timeoutMs = 2_000): Promise<boolean> {
    if (!this.redis) return true;
    await this.withTimeout('connect', () => this.redis!.connecting, timeoutMs);
    return this.redis.connected;
  }

  async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    if (this.redis && tracingEnabled()) return this.tracedGetMany(keys);
    const values = await this.guard('getMany', () => this.backend.getMany(keys));
    return values ? values.map((value) => (value ?? undefined) as T | undefined) : keys.map(() => undefined);
  }

  async setMany<T>(entries: ReadonlyArray<{ key: string } & TimedValue<T>>): Promise<void> {
    if (entries.length === 0) return;
    if (this.redis && tracingEnabled()) return this.tracedSetMany(entries);
    await this.guard('setMany', () => this.backend.setMany(entries));
  }

  // Spans for Redis reads and writes only (a network round trip each). An in-memory lookup takes well under a
  // microsecond: a span would cost more than the read, and an operation's trace would be mostly cache spans. Counts
  // only: the keys hold INNs.

  /** getMany in a span `cache getMany`: `cache.keys`, `cache.hits`, `cache.misses`, `cache.outcome` (ok, or failed: all misses). */
  private async tracedGetMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    return withSpan('cache getMany', { 'cache.kind': this.kind, 'cache.keys': keys.length }, async (span) => {
      const values = await this.guard('getMany', () => this.backend.getMany(keys));
      const found = values ? values.map((value) => (value ?? undefined) as T | undefined) : keys.map(() => undefined);
      const hits = found.reduce((count, value) => (value === undefined ? count : count + 1), 0);
      span?.setAttributes({ 'cache.hits': hits, 'cache.misses': keys.length - hits, 'cache.outcome': values ? 'ok' : 'failed' });
      return found;
    });
  }

  /** setMany in a span `cache setMany`: `cache.keys` (entries written), `cache.outcome` (ok, or failed: dropped). */
  private async tracedSetMany<T>(entries: ReadonlyArray<{ key: string } & TimedValue<T>>): Promise<void> {
    return withSpan('cache setMany', { 'cache.kind': this.kind, 'cache.keys': entries.length }, async (span) => {
      const done = await this.guard('setMany', async () => {
        await this.backend.setMany(entries);
        return true;
      });
      span?.setAttribute('cache.outcome', done === true ? 'ok' : 'failed');
    });
  }

  /** Removes entries (e.g. companies the registry reports as changed). A failure is logged; the entries then expire by TTL. */
  async deleteMany(keys: readonly string[]): Promise<boolean> {
    if (keys.length === 0) return true;
    const done = await this.guard('deleteMany', async () => {
      await this.backend.deleteMany(keys);
      return true;
    });
    return done === true;
  }

  /** True when the store answers; for readiness checks. */
  async ping(): Promise<boolean> {
    const ok = await this.guard('ping', async () => {
      await this.backend.ping();
      return true;
    });
    return ok === true;
  }

  /**
   * A lease on a name (a background job's right to run): shared by the replicas through Redis; in memory, always
   * this process's. A Redis failure is logged and answers "not held" — the job waits for the next interval.
   */
  lease(name: string): Lease {
    const redis = this.redis;
    if (!redis) return LOCAL_LEASE;
    const lease = redis.lease(name);
    return {
      hold: async (ttlMs) => (await this.guard('lease', () => lease.hold(ttlMs))) === true,
      release: async () => {
        await this.guard('lease release', () => lease.release());
      },
    };
  }

  /**
   * Claims on keys about to be fetched, shared by the replicas (cross-replica coalescing); undefined in memory, where
   * the process's own in-flight table already coalesces. A Redis failure answers "not claimed by anyone" — the caller
   * fetches, as it would without Redis.
   */
  claims(): Claims | undefined {
    const claims = this.redis?.claims(this.options.claimTtlMs ?? 15_000);
    if (!claims) return undefined;
    return {
      claim: async (keys) => (await this.guard('claim', () => claims.claim(keys))) ?? keys.map(() => true),
      release: async (keys) => {
        await this.guard('claim release', () => claims.release(keys));
      },
    };
  }

  /**
   * A vendor's rate limit: one budget for all replicas through Redis (shared-rate-limiter.ts), or this process's
   * own in memory. `name` keys it (one per vendor credential).
   */
  rateLimiter(name: string, limit: RateLimit, now: () => number = Date.now): CallLimiter {
    const local = new RateLimiter(limit, now);
    return this.redis?.rateLimiter(name, limit, local, (error) => this.logFailure('rate limiter', error)) ?? local;
  }

  /**
   * Points per key in a window (a client's requests, a route's daily vendor calls): one count for every replica
   * through Redis, or this process's in memory. `name` keys it.
   */
  quota(name: string, rule: QuotaRule): Quota {
    return this.redis?.quota(name, rule) ?? memoryQuota(rule);
  }

  /** What the in-memory store holds (entries, estimated bytes); undefined for Redis. */
  usage(): { entries: number; bytes: number } | undefined {
    return this.backend.usage?.();
  }

  /** Disconnects, within 2 s: a Redis that accepts connections but never answers must not hold a shutdown. */
  async close(): Promise<void> {
    await this.withTimeout('close', () => this.backend.close(), 2_000);
  }

  private async guard<R>(operation: string, run: () => Promise<R>): Promise<R | undefined> {
    // The in-memory store neither fails nor waits: no timer per operation.
    if (!this.redis) return run();
    // While Redis is disconnected (it reconnects in the background), skip it at once instead of waiting.
    if (!this.redis.connected) {
      this.logFailure(operation, new Error('Redis is not connected'));
      return undefined;
    }
    return this.withTimeout(operation, run, this.options.operationTimeoutMs);
  }

  private async withTimeout<R>(operation: string, run: () => Promise<R>, timeoutMs: number): Promise<R | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`cache ${operation} took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (error) {
      this.logFailure(operation, error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** At most one line per second: a dead Redis under load must not flood the log. */
  private logFailure(operation: string, error: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorLoggedAt < 1000) return;
    this.lastErrorLoggedAt = now;
    this.logger.warn(
      { cache: this.kind, operation, err: { message: (error as Error)?.message ?? String(error) } },
      'cache store failed; answering from the vendor',
    );
  }
}
