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
}

export function newOperationStats(): OperationStats {
  return { vendorCalls: 0, cacheHits: 0, cacheMisses: 0, coalesced: 0, staleServed: 0 };
}
