import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A lease on a name, shared by the replicas through the cache store: at most one process holds it at a time, for
 * `ttlMs` after it last took or renewed it; when the holder dies, the lease lapses and another process may take it.
 */
export interface Lease {
  /** Takes the lease, or renews it when this process holds it; true when this process holds it now. */
  hold(ttlMs: number): Promise<boolean>;
  /** Gives it up if this process holds it. */
  release(): Promise<void>;
}

/** The commands a lease needs of a Redis client (node-redis's names and shapes). */
export interface LeaseCommands {
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<string | null>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Who this process is, in a lease's value and in logs: host, pid and a random part (pids repeat across hosts). */
export const HOLDER_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

// Renew or release only while the key still holds our id: a lease that lapsed and went to another process stays theirs.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * The single-instance lock Redis documents (SET NX PX to take, a compare-and-set script to renew or release): one
 * Redis serves the replicas, so Redlock's quorum over several masters buys nothing here, and the lock libraries that
 * implement it (redlock, redis-semaphore) are built on ioredis, a second Redis client beside the node-redis one the
 * cache already holds.
 */
export class RedisLease implements Lease {
  constructor(
    private readonly commands: () => Promise<LeaseCommands>,
    private readonly key: string,
  ) {}

  async hold(ttlMs: number): Promise<boolean> {
    const redis = await this.commands();
    if ((await redis.set(this.key, HOLDER_ID, { NX: true, PX: ttlMs })) === 'OK') return true;
    return Number(await redis.eval(RENEW, { keys: [this.key], arguments: [HOLDER_ID, String(ttlMs)] })) === 1;
  }

  async release(): Promise<void> {
    const redis = await this.commands();
    await redis.eval(RELEASE, { keys: [this.key], arguments: [HOLDER_ID] });
  }
}

/** In memory there is one process: it always holds its leases. */
export const LOCAL_LEASE: Lease = {
  hold: () => Promise.resolve(true),
  release: () => Promise.resolve(),
};
