import { randomBytes } from 'node:crypto';
import express from 'express';
import { defineModule } from '../contract.ts';
import { bitrix24Config, bitrix24Env, type Bitrix24Config } from './config.ts';
import { Bitrix24AlertSink } from './alerts.ts';
import { appRoutes } from './app.ts';
import { startBitrix24Emulator } from './emulator/server.ts';
import { Bitrix24Metrics, EVENTS_PATH, EventGatherer, eventRoutes } from './events.ts';
import { Bitrix24Processor } from './processor.ts';
import { ReconcileJob } from './reconcile.ts';
import { MemoryEventQueue, QUEUE_DEFAULTS, RedisEventQueue, type EventQueue } from './queue.ts';
import { Bitrix24Client } from './vendor/client.ts';
import type { CacheStore } from '../../cache/store.ts';
import type { Logger } from '../../observability/logger.ts';

interface Bitrix24Services {
  config: Bitrix24Config;
  /** The portal as its keys name it: BITRIX24_MEMBER_ID, else the webhook host. */
  portal: string;
  /** Set by start() when BITRIX24_RECONCILE_INTERVAL is. */
  reconcile?: ReconcileJob;
  client: Bitrix24Client;
  queue: EventQueue;
  metrics: Bitrix24Metrics;
  cache: CacheStore;
  logger: Logger;
  /** Alerts (the monitoring job's changes) written as a comment and a task on the companies with the INN. */
  alertSink: Bitrix24AlertSink;
}

declare module '../contract.ts' {
  interface ModuleConfigs {
    bitrix24: Bitrix24Config;
  }
  interface ModuleServices {
    /** undefined while BITRIX24_WEBHOOK_URL is unset: the module is off. */
    bitrix24: Bitrix24Services | undefined;
  }
}

/**
 * Bitrix24 CRM: outgoing-webhook events fill company requisites from the registry (S1) and screen deals reaching a
 * risk stage (S2), through the graph itself (ModuleRuntime) so every lookup is batched and cached as the graph's are.
 */
export const bitrix24Module = defineModule({
  name: 'bitrix24',
  env: bitrix24Env,
  config: bitrix24Config,
  check(slice) {
    if (slice.webhookUrl && !slice.applicationToken)
      return [
        'BITRIX24_APPLICATION_TOKEN is required with BITRIX24_WEBHOOK_URL: events are trusted only with it (the outgoing webhook shows it)',
      ];
    return [];
  },
  vendor: {
    name: 'bitrix24',
    displayName: 'Bitrix24',
    live: (slice) => slice.webhookUrl !== undefined,
    sandbox: {
      wanted: (slice, { production, live }) => slice.webhookUrl === undefined && !production && !live.has('kontur-focus'),
      async start(slice, core, logger) {
        const emulator = await startBitrix24Emulator({
          secret: randomBytes(12).toString('hex'),
          applicationToken: randomBytes(16).toString('hex'),
          seed: true,
          // Events come back to this subgraph (PORT must be fixed for that: with PORT=0 they go nowhere).
          ...(core.port > 0 ? { handler: `http://127.0.0.1:${core.port}${EVENTS_PATH}` } : {}),
        });
        logger.info({ emulator: emulator.origin }, 'sandbox mode: Bitrix24 emulator started');
        return {
          slice: {
            ...slice,
            webhookUrl: emulator.url,
            applicationToken: emulator.applicationToken,
            memberId: emulator.memberId,
            securityUserId: slice.securityUserId ?? 1,
          },
          close: () => emulator.close(),
        };
      },
    },
    banner: ['The bundled Bitrix24 emulator sends its CRM events here: a requisite saved with an INN gets filled from the registry.'],
  },
  services({ config, cache, logger, metrics }) {
    const slice = config.bitrix24;
    if (!slice.webhookUrl) return undefined;
    const host = new URL(slice.webhookUrl).host;
    // One portal per deployment (BITRIX24_WEBHOOK_URL): its member id when configured, else its host, names its keys.
    const portal = slice.memberId ?? host;
    const client = new Bitrix24Client(
      {
        webhookUrl: slice.webhookUrl,
        timeoutMs: slice.timeoutMs,
        retries: slice.retries,
        breaker: slice.breaker,
        maxWaitMs: slice.maxWaitMs,
        // The portal's limit is per portal (and per source IP): one budget for every replica.
        limiter: cache.rateLimiter(`bitrix24:${host}`, slice.rateLimit),
        // The public handlers' app-context calls get a budget of their own (one call per 2 s, all replicas): however
        // many arrive, they cannot starve the webhook's writes; the portal's bucket (50) absorbs the sum.
        appLimiter: cache.rateLimiter(`bitrix24-app:${host}`, { calls: 1, windowMs: 2_000 }),
      },
      logger,
      metrics,
    );
    const options = { ...QUEUE_DEFAULTS, dedupWindowMs: slice.dedupWindowMs };
    const queue: EventQueue = config.cache.url
      ? new RedisEventQueue(config.cache.url, `${config.cache.namespace}:bull`, options, logger)
      : new MemoryEventQueue(options, logger);
    const bitrixMetrics = new Bitrix24Metrics(metrics, () => queue.depth());
    const alertSink = new Bitrix24AlertSink(client, cache, slice, portal, logger, bitrixMetrics.writes);
    return { config: slice, portal, client, queue, metrics: bitrixMetrics, cache, logger, alertSink };
  },
  alertSinks: (services) => (services ? [services.alertSink] : []),
  // One router: the outgoing-webhook events and the application's handlers (the company card's button, the robot).
  routes: (services, _core, runtime) => {
    const router = express.Router();
    if (services)
      router.use(
        eventRoutes(services.config, services.portal, services.queue, services.metrics, services.logger),
        appRoutes(services, runtime),
      );
    return router;
  },
  start(services, runtime) {
    if (!services) return;
    const processor = new Bitrix24Processor(
      services.client,
      runtime,
      services.cache,
      services.config,
      services.logger,
      services.metrics.writes,
    );
    const gatherer = new EventGatherer(processor, services.metrics);
    services.queue.run((event) => gatherer.handle(event));
    const intervalMs = services.config.reconcileIntervalMs;
    if (intervalMs) {
      services.reconcile = new ReconcileJob(services.client, processor, services.cache, services.logger, services.portal, intervalMs);
      services.reconcile.start();
    }
  },
  async close(services) {
    if (!services) return;
    await services.reconcile?.stop();
    await services.queue.close();
    await services.client.close();
  },
});
