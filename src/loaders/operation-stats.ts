import type { OperationLifetime } from './operation-lifetime.ts';

/** What one GraphQL operation cost: reported in its log line. */
export interface OperationStats {
  /** Vendor calls this operation caused (a call shared with other operations counts for each that asked first). */
  vendorCalls: number;
  cacheHits: number;
  cacheMisses: number;
  /** Identifiers answered by joining a call another operation already had in flight. */
  coalesced: number;
  /** Identifiers answered from an expired cache entry because the vendor failed. */
  staleServed: number;
  /** When the operation stops waiting (deadline, client gone, answered); absent for background work. Not logged. */
  lifetime?: OperationLifetime;
  /**
   * The operation may not pay for a vendor call: what the cache holds answers (an expired entry within
   * CACHE_STALE_IF_ERROR marked stale), anything else fails without a call. Set by a caller with a budget of its own
   * (the public autofill route past its daily budget). Not logged.
   */
  cacheOnly?: boolean;
}

export function newOperationStats(lifetime?: OperationLifetime, { cacheOnly = false } = {}): OperationStats {
  const stats: OperationStats = { vendorCalls: 0, cacheHits: 0, cacheMisses: 0, coalesced: 0, staleServed: 0 };
  // Not enumerable: the log line spreads the counters, not the lifetime or the policy.
  if (lifetime) Object.defineProperty(stats, 'lifetime', { value: lifetime, enumerable: false });
  if (cacheOnly) Object.defineProperty(stats, 'cacheOnly', { value: true, enumerable: false });
  return stats;
}
