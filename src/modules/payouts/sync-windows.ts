import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';

/** The vendor's rule for POST …/selfemployer/sync: one per 30 s per contractor. */
export const SELF_EMPLOYED_SYNC_INTERVAL_MS = 30_000;

/**
 * When each contractor's current sync window started: in this process's memory, and in the shared cache store for
 * the other replicas. The later of the two counts, so a replica whose store write was lost still honours its own.
 */
export class SyncWindows {
  private readonly memory = new Map<number, number>();

  constructor(
    private readonly cache: CacheStore,
    private readonly now: () => number,
  ) {}

  /** Milliseconds until a sync may be sent at `now`; zero or less: it may be sent. */
  async remainingMs(contractorId: number, now: number): Promise<number> {
    const [stored] = await this.cache.getMany<{ at: number }>([this.key(contractorId)]);
    const last = Math.max(this.memory.get(contractorId) ?? -Infinity, typeof stored?.at === 'number' ? stored.at : -Infinity);
    return last + SELF_EMPLOYED_SYNC_INTERVAL_MS - now;
  }

  /** Starts a window at `at` (memory and the shared store), kept until the window is surely over. */
  async start(contractorId: number, at: number): Promise<void> {
    this.memory.set(contractorId, Math.max(at, this.memory.get(contractorId) ?? -Infinity));
    const ttlMs = Math.max(2 * SELF_EMPLOYED_SYNC_INTERVAL_MS, at + 2 * SELF_EMPLOYED_SYNC_INTERVAL_MS - this.now());
    await this.cache.setMany([{ key: this.key(contractorId), value: { at }, ttlMs }]);
  }

  private key(contractorId: number): string {
    return `${CACHE_KEY_VERSION}:jump:selfemployer-sync:${contractorId}`;
  }
}
