import { LRUCache } from 'lru-cache';
import { copyBytes, freezeAndMeasure, stringBytes } from './heap-size.ts';
import type { StoreBackend, StoredEntry } from './backend.ts';

/**
 * What one entry costs beyond its key and value: lru-cache's index (a Map entry, slots in its key, value, next/prev,
 * size and TTL arrays); checked by `npm run bench` (the CACHE_MAX_MEMORY row: measured heap against this count).
 */
const ENTRY_OVERHEAD = 120;

/**
 * The in-memory store: the values themselves (no serialisation), frozen when stored so that readers share them
 * safely, in an LRU bounded by entry count and by their estimated heap size (src/cache/heap-size.ts): CACHE_MAX_MEMORY
 * bounds what the cache really holds. Values holding bytes (PDFs) are kept as bytes, counted as such, and every
 * reader gets its own copy of them.
 *
 * Not through keyv: keyv wraps each value in one more object and, for a Map-like store, does its own TTL bookkeeping
 * on every read; lru-cache already keeps TTLs, and this store has nothing else to gain from keyv.
 */
export class MemoryStore implements StoreBackend {
  readonly kind = 'memory';
  private readonly lru: LRUCache<string, NonNullable<unknown>>;
  /** Stored values holding bytes: readers get copies of those. */
  private readonly withBytes = new WeakSet<object>();

  constructor(maxEntries: number, maxMemoryBytes: number) {
    this.lru = new LRUCache({ max: maxEntries, maxSize: maxMemoryBytes });
  }

  async getMany(keys: readonly string[]): Promise<unknown[]> {
    return keys.map((key) => this.read(key));
  }

  async setMany(entries: readonly StoredEntry[]): Promise<void> {
    for (const { key, value, ttlMs } of entries) this.write(key, value, ttlMs);
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.lru.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.lru.clear();
  }

  usage(): { entries: number; bytes: number } {
    return { entries: this.lru.size, bytes: this.lru.calculatedSize };
  }

  private read(key: string): unknown {
    const value = this.lru.get(key);
    return typeof value === 'object' && this.withBytes.has(value) ? copyBytes(value) : value;
  }

  private write(key: string, value: unknown, ttlMs: number): void {
    if (value === undefined || value === null) {
      this.lru.delete(key);
      return;
    }
    const { value: kept, bytes, hasBytes } = freezeAndMeasure(value);
    if (hasBytes && typeof kept === 'object') this.withBytes.add(kept as object);
    // An entry larger than the whole bound is not stored (lru-cache refuses it); the next read asks the vendor.
    this.lru.set(key, kept as NonNullable<unknown>, { ttl: ttlMs, size: bytes + stringBytes(key) + ENTRY_OVERHEAD });
  }
}
