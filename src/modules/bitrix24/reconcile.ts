import { z } from 'zod';
import { LeasedInterval } from '../../cache/leased-interval.ts';
import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Bitrix24Processor } from './processor.ts';
import type { Bitrix24Client } from './vendor/client.ts';

const DAY_MS = 86_400_000;
/** Replicas' clocks and the portal's differ a little: each run looks this much further back than the last one began. */
const OVERLAP_MS = 60_000;

const RequisiteRow = z.object({ ID: z.coerce.string(), RQ_INN: z.string().nullish() });

/**
 * BITRIX24_RECONCILE_INTERVAL: Bitrix24 delivers each event once and drops it when the handler is down, so this job
 * lists the company requisites modified since its last run (`crm.requisite.list`, `>DATE_MODIFY`, pages of 50) and
 * processes those whose INN differs from the last one processed (an event we never saw). One replica runs it at a
 * time (a lease); where it got to is kept in the cache store (shared, surviving restarts).
 */
export class ReconcileJob {
  private readonly runner: LeasedInterval;
  private readonly sinceKey: string;

  constructor(
    private readonly client: Bitrix24Client,
    private readonly processor: Bitrix24Processor,
    private readonly cache: CacheStore,
    private readonly logger: Logger,
    private readonly portal: string,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sinceKey = `${CACHE_KEY_VERSION}:bitrix24:reconciled-since:${portal}`;
    this.runner = new LeasedInterval(
      cache,
      `${CACHE_KEY_VERSION}:bitrix24:reconcile:${portal}`,
      intervalMs,
      () => this.runOnce(),
      logger,
      'Bitrix24 reconciliation',
    );
  }

  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** One pass; answers the requisite ids it processed. */
  async runOnce(): Promise<number[]> {
    const startedAt = this.now();
    const [saved] = await this.cache.getMany<number>([this.sinceKey]);
    // A first run looks back one interval: events before that were handled, or are older than anything reconciled.
    const since = typeof saved === 'number' ? saved - OVERLAP_MS : startedAt - this.intervalMs - OVERLAP_MS;
    const rows = await this.client.listAll(
      'crm.requisite.list',
      { filter: { '>DATE_MODIFY': new Date(since).toISOString(), ENTITY_TYPE_ID: 4 }, select: ['ID', 'RQ_INN'], order: { ID: 'ASC' } },
      RequisiteRow,
    );
    const withInn = rows.filter((row) => (row.RQ_INN ?? '').trim() !== '');
    const last = await this.processor.lastProcessedInns(
      withInn.map((row) => Number(row.ID)),
      this.portal,
    );
    const unseen = withInn.filter((row, index) => last[index] !== (row.RQ_INN ?? '').trim()).map((row) => Number(row.ID));
    if (unseen.length > 0) await this.processor.fillRequisites(unseen, this.portal);
    await this.cache.setMany([{ key: this.sinceKey, value: startedAt, ttlMs: 90 * DAY_MS }]);
    this.logger.info({ modified: rows.length, processed: unseen.length }, 'Bitrix24 reconciliation');
    return unseen;
  }
}
