import type { Config } from './config.ts';
import { CacheStore } from './cache/store.ts';
import { VendorGate } from './loaders/vendor-gate.ts';
import { FocusMethodBatcher, type FocusBatcherDeps } from './modules/kontur-focus/batcher.ts';
import { createFocusLoaders, type FocusBatchers, type FocusLoaders, type FocusUncachedSources } from './modules/kontur-focus/loaders.ts';
import { CompanyService } from './modules/company/service.ts';
import { UsageService } from './modules/collections/usage.ts';
import { DocumentService } from './modules/documents/service.ts';
import { MonitoringJob } from './modules/monitoring/job.ts';
import { MonitoringService } from './modules/monitoring/service.ts';
import { loadRiskPolicy, type RiskPolicy } from './modules/risk/policy.ts';
import { FocusPages } from './modules/kontur-focus/pages.ts';
import type { KeyedFetchDeps } from './cache/keyed-fetch.ts';
import type { Logger } from './observability/logger.ts';
import { Metrics } from './observability/metrics.ts';
import type { OperationStats } from './loaders/operation-stats.ts';
import { FocusClient } from './modules/kontur-focus/vendor/client.ts';
import { createTbankLoaders, type TbankLoaders } from './modules/tbank/loaders.ts';
import { UnconfiguredFocusClient } from './modules/kontur-focus/unconfigured.ts';
import { TbankService } from './modules/tbank/service.ts';
import { TbankClient } from './modules/tbank/vendor/client.ts';
import { PayoutsService } from './modules/payouts/service.ts';
import { JumpClient } from './modules/payouts/vendor/client.ts';

/** Process-wide pieces: one vendor client (one keep-alive pool), one cache, one batcher per method. */
export interface Services {
  config: Config;
  logger: Logger;
  cache: CacheStore;
  focus: FocusClient;
  /** T-Bank's counterparty check; present when TBANK_TOKEN is set (or in sandbox mode). */
  tbank: TbankService | undefined;
  batchers: FocusBatchers;
  companies: CompanyService;
  pages: FocusPages;
  usage: UsageService;
  documents: DocumentService;
  monitoring: MonitoringService;
  /** The risk policy in force, validated at start-up. */
  riskPolicy: RiskPolicy;
  /** The clock (tests pass a controllable one). */
  now: () => number;
  /** The change-list job; present when FOCUS_MONITORING_INTERVAL is set (main.ts starts it). */
  monitoringJob: MonitoringJob | undefined;
  /** Contractors and payouts over Jump.Finance (JUMP_API_KEY; calls fail as not configured without one). */
  payouts: PayoutsService;
  metrics: Metrics;
  createLoaders(stats?: OperationStats): FocusLoaders & TbankLoaders;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  /** Clock for cache ages; tests pass a controllable one. */
  now?: () => number;
  /** Process metrics (event loop, memory) off: tests start many subgraphs in one process. */
  processMetrics?: boolean;
}

export function createServices(config: Config, logger: Logger, focusApiKey: string | undefined, overrides: ServiceOverrides = {}): Services {
  const metrics = new Metrics({ processMetrics: overrides.processMetrics !== false });
  const cache = new CacheStore({ url: config.cache.url, namespace: config.cache.namespace, maxEntries: config.cache.maxEntries, maxMemoryBytes: config.cache.maxMemoryBytes, operationTimeoutMs: 500 }, logger);
  // Without a Kontur.Focus key (a T-Bank-only deployment) nothing is sent to Kontur.Focus: its fields fail as not configured.
  const focus = !focusApiKey ? new UnconfiguredFocusClient(logger, metrics) : new FocusClient(
    {
      baseUrl: config.focus.baseUrl,
      apiKey: focusApiKey,
      timeoutMs: config.focus.timeoutMs,
      retries: config.focus.retries,
      connections: Math.max(config.focus.maxConcurrency, 4),
      breaker: config.focus.breaker,
    },
    logger,
    metrics,
  );
  const gate = new VendorGate({ vendor: 'kontur-focus', concurrency: config.focus.maxConcurrency, maxQueue: config.focus.maxQueue, metrics });
  const deps: FocusBatcherDeps = {
    client: focus,
    cache,
    gate,
    ttl: { foundMs: config.cache.ttl.requisitesMs, notFoundMs: config.cache.ttl.notFoundMs, staleIfErrorMs: config.cache.staleIfErrorMs },
    metrics,
    ...(overrides.now ? { now: overrides.now } : {}),
  };
  const batchers: FocusBatchers = {
    req: new FocusMethodBatcher('req', 'inn', deps),
    reqByOgrn: new FocusMethodBatcher('req', 'ogrn', deps),
    contacts: new FocusMethodBatcher('contacts', 'inn', deps),
    egrDetails: new FocusMethodBatcher('egrDetails', 'inn', deps),
    analytics: new FocusMethodBatcher('analytics', 'inn', deps),
    licences: new FocusMethodBatcher('licences', 'inn', deps),
    buh: new FocusMethodBatcher('buh', 'inn', deps),
  };
  const keyedDeps: KeyedFetchDeps = { cache, gate, metrics, ...(overrides.now ? { now: overrides.now } : {}) };
  const pages = new FocusPages(focus, keyedDeps, config.cache.listsTtlMs);
  const loaderTtl = { requisitesMs: config.cache.ttl.requisitesMs, statusMs: config.cache.ttl.statusMs };
  // briefReport links are single-use: batched per request, under the shared concurrency limit, never cached.
  const uncached: FocusUncachedSources = {
    briefReport: (inns, stats) => {
      gate.admit(inns.length, 'briefReport');
      const lifetime = stats?.lifetime;
      const call = gate.run(() => focus.getBatch('briefReport', 'inn', inns), () => lifetime?.ended !== undefined);
      return lifetime ? lifetime.race(call, 'Kontur.Focus briefReport') : call;
    },
  };
  const tbank = config.tbank.token
    ? new TbankService(
        new TbankClient({ ...config.tbank, token: config.tbank.token, breaker: config.focus.breaker }, logger, metrics),
        { cache, metrics, ...(overrides.now ? { now: overrides.now } : {}) },
        { foundMs: config.cache.ttl.requisitesMs, notFoundMs: config.cache.ttl.notFoundMs, listsMs: config.cache.listsTtlMs },
      )
    : undefined;
  const riskPolicy = loadRiskPolicy(config.risk.policyPath);
  const documents = new DocumentService(focus, keyedDeps, {
    cacheTtlMs: config.cache.documentsTtlMs,
    urlTtlMs: config.documents.urlTtlMs,
    signingSecret: config.documents.signingSecret,
    publicUrl: config.documents.publicUrl,
  });
  const monitoring = new MonitoringService(focus, batchers, cache, (inn) => documents.cacheKeys(inn));
  const monitoringJob = config.monitoring.intervalMs
    ? new MonitoringJob(monitoring, cache, logger, { intervalMs: config.monitoring.intervalMs, ...(overrides.now ? { now: overrides.now } : {}) })
    : undefined;
  const payouts = new PayoutsService(
    new JumpClient(
      { ...config.jump, connections: Math.max(config.jump.maxConcurrency, 4), breaker: config.focus.breaker },
      logger,
      metrics,
    ),
    { cache, metrics, logger, now: overrides.now ?? Date.now },
    {
      guard: config.payouts.guard,
      scopesHeader: config.payouts.scopesHeader,
      agentId: config.jump.agentId,
      groupId: config.jump.groupId,
      contractorsTtlMs: config.jump.contractorsTtlMs,
      maxConcurrency: config.jump.maxConcurrency,
      statusRefreshMs: config.jump.statusRefreshMs,
      actionNeededRefreshMs: config.jump.actionNeededRefreshMs,
      keepMs: config.jump.finalPaymentsTtlMs,
    },
  );

  return {
    config,
    logger,
    cache,
    focus,
    tbank,
    batchers,
    companies: new CompanyService(batchers, cache, config.focus.refreshMinIntervalMs),
    pages,
    usage: new UsageService(focus, keyedDeps),
    documents,
    monitoring,
    monitoringJob,
    payouts,
    riskPolicy,
    now: overrides.now ?? Date.now,
    metrics,
    createLoaders: (stats) => ({
      ...createFocusLoaders(batchers, pages, uncached, loaderTtl, overrides.now, stats),
      // With T-Bank configured: its loaders; and when Kontur.Focus is not, the requisites loaders answer from T-Bank.
      ...(tbank ? createTbankLoaders(tbank, { backsRequisites: !focusApiKey, statusMs: loaderTtl.statusMs, now: overrides.now, stats }) : {}),
    }),
    async close() {
      await monitoringJob?.stop();
      await payouts.close().catch(() => undefined);
      await Promise.allSettled([focus.close(), cache.close(), tbank?.close()]);
    },
  };
}
