import { notFound, rateLimited, VendorError } from '../../errors.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { JumpCalls } from './jump-calls.ts';
import { SELF_EMPLOYED_SYNC_INTERVAL_MS, type SyncWindows } from './sync-windows.ts';
import { JumpRequestError } from './vendor/client.ts';
import type { JumpSelfEmployed } from './vendor/schemas.ts';

/**
 * POST …/selfemployer/sync within the vendor's rule (one per 30 s per contractor), counted from the last sync that
 * any replica (the shared store) or this one (memory) got through: inside the window the answer is RATE_LIMITED
 * with the seconds to wait, and nothing is sent. Only a sync the vendor carried out — or the vendor's own 429, whose
 * Retry-After then sets the window — starts a window: a sync that failed (404, 5xx, timeout, a garbled answer) did
 * not reach the tax service, so the next request may ask the vendor at once. Concurrent requests for one contractor
 * in this process share one call rather than meet the vendor's 429.
 */
export class SelfEmployedSync {
  private readonly inFlight = new Map<number, Promise<JumpSelfEmployed>>();

  constructor(
    private readonly calls: JumpCalls,
    private readonly windows: SyncWindows,
    private readonly metrics: Metrics,
    private readonly now: () => number,
  ) {}

  async sync(contractorId: number, stats?: OperationStats): Promise<JumpSelfEmployed> {
    const running = this.inFlight.get(contractorId);
    if (running) {
      this.metrics.coalesced.inc({ method: 'jump:selfemployer.sync' });
      if (stats) stats.coalesced += 1;
      return running;
    }
    const syncing = this.syncOnce(contractorId, stats).finally(() => this.inFlight.delete(contractorId));
    this.inFlight.set(contractorId, syncing);
    return syncing;
  }

  private async syncOnce(contractorId: number, stats: OperationStats | undefined): Promise<JumpSelfEmployed> {
    const now = this.now();
    const waitMs = await this.windows.remainingMs(contractorId, now);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw rateLimited(`Jump.Finance allows one self-employed status check per 30 s per contractor; try again in ${seconds} s`, seconds, {
        contractorId: String(contractorId),
      });
    }
    try {
      const state = await this.calls.call((client) => client.syncSelfEmployed(contractorId), stats);
      await this.windows.start(contractorId, now);
      return state;
    } catch (error) {
      if (error instanceof VendorError && error.code === 'VENDOR_RATE_LIMITED') {
        const retryAfter =
          typeof error.extensions.retryAfterSeconds === 'number'
            ? error.extensions.retryAfterSeconds
            : SELF_EMPLOYED_SYNC_INTERVAL_MS / 1000;
        // The vendor's own window: the next local answer counts down to the end of its Retry-After.
        await this.windows.start(contractorId, now + retryAfter * 1000 - SELF_EMPLOYED_SYNC_INTERVAL_MS);
        throw rateLimited('Jump.Finance refused the self-employed status check: it was asked too recently', retryAfter, {
          contractorId: String(contractorId),
        });
      }
      if (error instanceof JumpRequestError && error.status === 404) {
        throw notFound(`Jump.Finance has no self-employed contractor ${contractorId}`, { contractorId: String(contractorId) });
      }
      throw error;
    }
  }
}
