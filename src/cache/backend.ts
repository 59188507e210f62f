/** One value to store, with how long it may be kept. */
export interface StoredEntry {
  key: string;
  value: unknown;
  ttlMs: number;
}

/**
 * Where cached values live: in this process (memory-store.ts) or in Redis, shared by replicas (redis-store.ts).
 * A backend may throw or hang; CacheStore (store.ts) guards every call.
 */
export interface StoreBackend {
  readonly kind: 'memory' | 'redis';
  /** For each key, its value, or undefined (absent, expired, or of a format this version does not read). */
  getMany(keys: readonly string[]): Promise<unknown[]>;
  setMany(entries: readonly StoredEntry[]): Promise<void>;
  deleteMany(keys: readonly string[]): Promise<void>;
  /** Resolves when the store answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** What the store holds, when it knows (the in-memory store). */
  usage?(): { entries: number; bytes: number };
}
