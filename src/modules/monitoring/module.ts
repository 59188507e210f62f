import { defineModule } from '../contract.ts';
import { ChangeStore } from './changes.ts';
import { monitoringChecks, monitoringConfig, monitoringEnv, type MonitoringConfig } from './config.ts';
import { AlertDispatcher, MemoryAlertQueue, RedisAlertQueue, type DeliveryOptions } from './delivery.ts';
import { MonitoringJob } from './job.ts';
import { resolvers } from './resolvers.ts';
import { MonitoringService } from './service.ts';
import { ChangeTracker } from './tracker.ts';
import { WebhookSink } from './webhooks.ts';

interface MonitoringServices {
  service: MonitoringService;
  /** undefined unless FOCUS_MONITORING_INTERVAL is set. */
  job: MonitoringJob | undefined;
  /** The recorded changes (companyChanges) and the last known state of each tracked company. */
  changes: ChangeStore;
  tracker: ChangeTracker;
  /** Hands alerts to every sink (CoreServices.alertSinks) through the delivery queue. */
  alerts: AlertDispatcher;
  /** ALERT_WEBHOOK_URLS, one sink each. */
  webhooks: WebhookSink[];
}

declare module '../contract.ts' {
  interface ModuleConfigs {
    monitoring: MonitoringConfig;
  }
  interface ModuleServices {
    monitoring: MonitoringServices;
  }
}

declare module '../../common/context.ts' {
  interface GraphQLContext {
    monitoring: MonitoringService;
    monitoringChanges: ChangeStore;
  }
}

/**
 * Kontur.Focus monitoring: the watched list (watch, list, unwatch), the daily change lists, the job that evicts changed
 * companies and reports what changed (recorded for companyChanges, delivered to every alert sink: signed webhooks,
 * and the sinks other modules offer).
 */
export const monitoringModule = defineModule({
  name: 'monitoring',
  needs: ['focus', 'documents'],
  env: monitoringEnv,
  config: monitoringConfig,
  check: (slice, config) => monitoringChecks(slice, config),
  services(core, { focus, documents }) {
    const { config, cache, logger, metrics, now } = core;
    const slice = config.monitoring;
    const changes = new ChangeStore(cache, slice.alerts.retentionMs, now);
    const delivery: DeliveryOptions = { attempts: slice.alerts.attempts, backoffMs: slice.alerts.backoffMs, concurrency: 8 };
    const alerts = new AlertDispatcher(
      () =>
        config.cache.url
          ? new RedisAlertQueue(config.cache.url, `${config.cache.namespace}:bull`, delivery, logger)
          : new MemoryAlertQueue(delivery, logger),
      () => core.alertSinks(),
      delivery,
      logger,
      metrics,
    );
    const tracker = new ChangeTracker({ req: focus.batchers.req, store: changes, dispatcher: alerts, logger, now });
    const service = new MonitoringService(focus.client, focus.batchers, cache, {
      documentKeys: (inn) => documents.cacheKeys(inn),
      onWatched: (inns) => tracker.baseline(inns),
    });
    const secret = slice.alerts.webhookSecret;
    const webhooks = secret
      ? slice.alerts.webhookUrls.map((url) => new WebhookSink({ url, secret, timeoutMs: slice.alerts.webhookTimeoutMs }, logger, metrics))
      : [];
    const intervalMs = slice.intervalMs;
    const job = intervalMs ? new MonitoringJob(service, cache, logger, { intervalMs, now, tracker }) : undefined;
    return { service, job, changes, tracker, alerts, webhooks };
  },
  context: ({ service, changes }) => ({ monitoring: service, monitoringChanges: changes }),
  schema: ['monitoring.graphql'],
  resolvers,
  costs: {
    // The change list's length is unknown before the call: counted as the most a query may ask for.
    roots: { changedCompanies: { companies: { fixed: 1000 } } },
  },
  alertSinks: ({ webhooks }) => webhooks,
  start: ({ job, alerts, tracker }, runtime) => {
    tracker.useRuntime(runtime);
    alerts.start();
    job?.start();
  },
  close: async ({ job, alerts, webhooks }) => {
    await job?.stop();
    await alerts.close();
    await Promise.all(webhooks.map((webhook) => webhook.close()));
  },
});
