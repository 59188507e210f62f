import { sameSecret } from '../../config/secrets.ts';
import express, { type Router } from 'express';
import { Counter, Gauge } from 'prom-client';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Bitrix24Config } from './config.ts';
import { DEAL_EVENTS, REQUISITE_EVENTS, type Bitrix24Event, type Bitrix24Processor } from './processor.ts';
import type { EventQueue } from './queue.ts';

export const EVENTS_PATH = '/integrations/bitrix24/events';

/** The module's own series, on the service's registry. */
export class Bitrix24Metrics {
  readonly events: Counter<'event' | 'outcome'>;
  readonly writes: Counter<'method' | 'outcome'>;
  readonly queueDepth: Gauge;

  constructor(metrics: Metrics, depth: () => Promise<number>) {
    this.events = new Counter({
      name: 'bitrix24_events_total',
      help: 'Bitrix24 outgoing-webhook events: received (trusted, queued), refused (bad token or portal), ignored (an event we do not handle), processed, failed (an attempt that will be retried or given up).',
      labelNames: ['event', 'outcome'] as const,
      registers: [metrics.registry],
    });
    this.writes = new Counter({
      name: 'bitrix24_writes_total',
      help: 'Write commands sent to Bitrix24 (in batches), by method; refused: the portal answered the command with an error.',
      labelNames: ['method', 'outcome'] as const,
      registers: [metrics.registry],
    });
    this.queueDepth = new Gauge({
      name: 'bitrix24_queue_depth',
      help: 'Bitrix24 events waiting or being processed.',
      registers: [metrics.registry],
      async collect() {
        this.set(await depth().catch(() => 0));
      },
    });
  }
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
interface EventBody {
  event?: unknown;
  data?: { FIELDS?: { ID?: unknown } };
  auth?: { application_token?: unknown; member_id?: unknown; domain?: unknown };
}

/**
 * POST /integrations/bitrix24/events: Bitrix24's outgoing webhook (form-encoded, bracket keys). Trusted only with the
 * application token (and the portal's member id when configured); a trusted event is queued and acknowledged at
 * once. Nothing of `auth[client_endpoint]` is ever used: writes go to BITRIX24_WEBHOOK_URL only.
 */
export function eventRoutes(config: Bitrix24Config, portal: string, queue: EventQueue, metrics: Bitrix24Metrics, logger: Logger): Router {
  const router = express.Router();
  router.post(EVENTS_PATH, express.urlencoded({ extended: true, limit: '64kb', parameterLimit: 200 }), (req, res) => {
    const body = (req.body ?? {}) as EventBody;
    const event = typeof body.event === 'string' ? body.event.toUpperCase() : '';
    if (!config.applicationToken || !sameSecret(body.auth?.application_token, config.applicationToken)) {
      metrics.events.inc({ event: 'unknown', outcome: 'refused' });
      res
        .status(401)
        .json({ error: { code: 'UNAUTHORIZED', message: 'the application token is missing or wrong (BITRIX24_APPLICATION_TOKEN)' } });
      return;
    }
    if (config.memberId && body.auth?.member_id !== config.memberId) {
      metrics.events.inc({ event: 'unknown', outcome: 'refused' });
      res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'the event comes from another portal (BITRIX24_MEMBER_ID)' } });
      return;
    }
    if (!REQUISITE_EVENTS.has(event) && !DEAL_EVENTS.has(event)) {
      metrics.events.inc({ event: 'other', outcome: 'ignored' });
      res.json({ accepted: false, reason: `${event || 'no event'} is not handled` });
      return;
    }
    const given = body.data?.FIELDS?.ID;
    const id = typeof given === 'string' && /^[1-9]\d{0,15}$/.test(given) ? Number(given) : NaN;
    if (!Number.isSafeInteger(id)) {
      res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'data[FIELDS][ID] must be a positive integer' } });
      return;
    }
    queue.add({ event, entityId: id, portal }).then(
      () => {
        metrics.events.inc({ event, outcome: 'received' });
        res.json({ accepted: true });
      },
      (error: unknown) => {
        // Not queued: answered 503 so that the failure is visible in the portal's webhook log (it will not retry).
        logger.error({ event, entityId: id, err: { message: (error as Error).message } }, 'Bitrix24 event could not be queued');
        res.status(503).json({ error: { code: 'UNAVAILABLE', message: 'the event queue is unavailable' } });
      },
    );
  });
  return router;
}

/**
 * Events gathered and handed to the processor together (so a mass edit is read, looked up and written in batches):
 * the first event of a gathering waits up to `windowMs` for others; while a gathering is being processed, new events
 * gather behind it and go together as soon as it is done. One gathering at a time, so no entity is processed twice at
 * once in this process. Each event's promise settles with its gathering's outcome (the queue retries failed ones).
 */
export class EventGatherer {
  private pending: Array<{ event: Bitrix24Event; settle: (error?: Error) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly processor: Bitrix24Processor,
    private readonly metrics: Bitrix24Metrics,
    private readonly windowMs = 500,
    private readonly max = 1_000,
  ) {}

  handle(event: Bitrix24Event): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({
        event,
        settle: (error) => (error === undefined ? resolve() : reject(error)),
      });
      if (this.busy) return;
      if (this.pending.length >= this.max) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.busy || this.pending.length === 0) return;
    const gathered = this.pending.splice(0, this.max);
    this.busy = true;
    void this.run(gathered).finally(() => {
      this.busy = false;
      this.flush();
    });
  }

  private async run(gathered: Array<{ event: Bitrix24Event; settle: (error?: Error) => void }>): Promise<void> {
    try {
      await this.processor.process(gathered.map((item) => item.event));
      for (const item of gathered) {
        this.metrics.events.inc({ event: item.event.event, outcome: 'processed' });
        item.settle();
      }
    } catch (error) {
      for (const item of gathered) {
        this.metrics.events.inc({ event: item.event.event, outcome: 'failed' });
        item.settle(error instanceof Error ? error : new Error('the gathering failed'));
      }
    }
  }
}
