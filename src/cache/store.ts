import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../observability/logger.ts';

/**
 * Keys are namespaced (CACHE_NAMESPACE: one Redis can serve several deployments) and versioned.
 * Bump the version whenever the shape of cached values changes (src/vendors/kontur-focus/schemas.ts output,
 * VendorEntry): replicas on the old version then never read the new entries, and the reverse.
 */
export const CACHE_KEY_VERSION = 'v2';

export interface CacheStoreOptions {
  url: string | undefined;
  namespace: string;
  maxEntries: number;
  /** Bound of the in-memory store by the size of the serialised values. */
  maxMemoryBytes?: number;
  /** How long one cache operation may take before the answer comes from the vendor instead. */
  operationTimeoutMs: number;
}

export interface TimedValue<T> {
  value: T;
  ttlMs: number;
}

interface RedisAdapter {
  getClient(): Promise<unknown>;
  client: { isReady: boolean };
}

/**
 * The process-wide cache: keyv over a bounded LRU in memory, or over Redis when CACHE_URL is set so replicas share it.
 * Every operation is guarded: if the store is down, slow or failing, reads count as misses and writes are dropped,
 * and the failure is logged. A query never fails, nor waits, because the cache is down.
 */
export class CacheStore {
  readonly kind: 'memory' | 'redis';
  private readonly keyv: Keyv;
  private readonly redis: RedisAdapter | undefined;
  /** The first connection attempt to Redis, started at construction; the client reconnects by itself after that. */
  private readonly connecting: Promise<unknown>;
  private lastErrorLoggedAt = 0;

  constructor(
    private readonly options: CacheStoreOptions,
    private readonly logger: Logger,
  ) {
    this.kind = options.url ? 'redis' : 'memory';
    this.keyv = options.url
      ? createRedisKeyv(options.url, options.namespace)
      : createMemoryKeyv(options.maxEntries, options.maxMemoryBytes ?? 256 * 1024 ** 2, options.namespace);
    this.redis = options.url ? (this.keyv.store as RedisAdapter) : undefined;
    this.keyv.on('error', (error: unknown) => this.logFailure('event', error));
    this.connecting = this.redis ? this.redis.getClient().catch((error: unknown) => this.logFailure('connect', error)) : Promise.resolve();
  }

  /** Connects to Redis (bounded wait); the server calls this before it listens. A failure is logged, never thrown. */
  async connect(timeoutMs = 2_000): Promise<boolean> {
    if (!this.redis) return true;
    await this.withTimeout('connect', () => this.connecting, timeoutMs);
    return this.redis.client.isReady;
  }

  async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await this.guard('getMany', () => this.keyv.getMany<T>([...keys]));
    return values ? values.map((value) => (value ?? undefined) as T | undefined) : keys.map(() => undefined);
  }

  async setMany<T>(entries: ReadonlyArray<{ key: string } & TimedValue<T>>): Promise<void> {
    if (entries.length === 0) return;
    await this.guard('setMany', () =>
      this.keyv.setMany(entries.map((entry) => ({ key: entry.key, value: entry.value, ttl: entry.ttlMs }))),
    );
  }

  /** Removes entries (e.g. companies the registry reports as changed). A failure is logged; the entries then expire by TTL. */
  async deleteMany(keys: readonly string[]): Promise<boolean> {
    if (keys.length === 0) return true;
    const done = await this.guard('deleteMany', () => this.keyv.deleteMany([...keys]));
    return done !== undefined;
  }

  /** True when the store answers; for readiness checks. */
  async ping(): Promise<boolean> {
    const probe = `${CACHE_KEY_VERSION}:ping`;
    const ok = await this.guard('ping', async () => {
      await this.keyv.set(probe, 1, 10_000);
      return true;
    });
    return ok === true;
  }

  /** Disconnects, within 2 s: a Redis that accepts connections but never answers must not hold a shutdown. */
  async close(): Promise<void> {
    await this.withTimeout('close', () => this.keyv.disconnect(), 2_000);
  }

  private async guard<R>(operation: string, run: () => Promise<R>): Promise<R | undefined> {
    // While Redis is disconnected (it reconnects in the background), skip it at once instead of waiting.
    if (this.redis && !this.redis.client.isReady) {
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

function createMemoryKeyv(maxEntries: number, maxMemoryBytes: number, namespace: string): Keyv {
  // lru-cache bounds the store by entry count and by the size of the values (keyv hands it JSON strings; a
  // purchase page or a PDF is large), evicts the least recently used, and drops entries past their TTL.
  const lru = new LRUCache<string, NonNullable<unknown>>({
    max: maxEntries,
    maxSize: maxMemoryBytes,
    sizeCalculation: (value) => (typeof value === 'string' ? value.length * 2 : 1024),
  });
  // keyv calls set(key, value, ttlMs) on Map-like stores; lru-cache's third argument is an options object.
  const store = {
    get: (key: string) => lru.get(key),
    set: (key: string, value: NonNullable<unknown>, ttl?: number) => lru.set(key, value, ttl ? { ttl } : undefined),
    delete: (key: string) => lru.delete(key),
    has: (key: string) => lru.has(key),
    clear: () => lru.clear(),
  };
  return new Keyv({ store, namespace, throwOnErrors: true });
}

function createRedisKeyv(url: string, namespace: string): Keyv {
  const adapter = new KeyvRedis(
    {
      url,
      // Fail commands at once while disconnected instead of queueing them: the vendor answers meanwhile.
      disableOfflineQueue: true,
      socket: { connectTimeout: 2_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000) },
    },
    { namespace, throwOnConnectError: false, throwOnErrors: true },
  );
  return new Keyv({ store: adapter, namespace, useKeyPrefix: false, throwOnErrors: true });
}
