import pLimit, { type LimitFunction } from 'p-limit';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { JumpClient } from './vendor/client.ts';

/**
 * The one way to Jump.Finance: every call of every payouts unit takes one of JUMP_MAX_CONCURRENCY slots, shared by
 * the whole process. Only the units hold it; resolvers reach the vendor through the units' methods.
 */
export class JumpCalls {
  private readonly limit: LimitFunction;

  constructor(
    private readonly client: JumpClient,
    maxConcurrency: number,
  ) {
    this.limit = pLimit(maxConcurrency);
  }

  /**
   * One vendor call in a slot. With `stats` it counts as a vendor call of that operation; reads through a cached
   * fetch leave them out (the cached fetch counts its own calls).
   */
  call<T>(run: (client: JumpClient) => Promise<T>, stats?: OperationStats): Promise<T> {
    if (stats) stats.vendorCalls += 1;
    return this.limit(() => run(this.client));
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
