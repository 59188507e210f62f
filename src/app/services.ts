import type { Router } from 'express';
import { CacheStore } from '../cache/store.ts';
import { mergeCostRules, type MergedCostRules } from '../common/cost.ts';
import type { GraphQLContext } from '../common/context.ts';
import {
  buildServices,
  servicesOfModule,
  type AlertSink,
  type AnyModule,
  type AppConfig,
  type CoreServices,
  type ModuleRuntime,
  type ModuleServices,
} from '../modules/contract.ts';
import type { Logger } from '../observability/logger.ts';
import { Metrics } from '../observability/metrics.ts';
import { MODULES } from './registry.ts';

export interface ServiceOverrides {
  /** Clock for cache ages; tests pass a controllable one. */
  now?: () => number;
  /** Process metrics (event loop, memory) off: tests start many subgraphs in one process. */
  processMetrics?: boolean;
  /** Sandbox mode (startSandboxes decided it). */
  sandbox?: boolean;
}

/** The process-wide services: the core's and each module's, and what the HTTP layer needs from the modules. */
export interface Services extends CoreServices {
  modules: ModuleServices;
  registry: readonly AnyModule[];
  costs: MergedCostRules;
  /** Every module's part of a request's context, over the core part. */
  contextFor(core: GraphQLContext): GraphQLContext;
  /** Routes of the modules, mounted outside the router-secret guard. */
  routes(runtime: ModuleRuntime): Router[];
  /** Readiness of the modules that report any (a queue, a job runner), by module name. */
  ready(): Promise<{ ok: boolean; checks: Record<string, unknown> }>;
  /** Starts the modules' background work. */
  start(runtime: ModuleRuntime): void;
  close(): Promise<void>;
}

/** Builds every module's services in registry order, each over the core services and the modules before it. */
export function createServices(
  config: AppConfig,
  logger: Logger,
  overrides: ServiceOverrides = {},
  registry: readonly AnyModule[] = MODULES,
): Services {
  const metrics = new Metrics({ processMetrics: overrides.processMetrics !== false });
  const cache = new CacheStore(
    {
      url: config.cache.url,
      namespace: config.cache.namespace,
      maxEntries: config.cache.maxEntries,
      maxMemoryBytes: config.cache.maxMemoryBytes,
      operationTimeoutMs: 500,
      claimTtlMs: config.cache.claimTtlMs,
    },
    logger,
  );
  metrics.observeCache(() => cache.usage());
  const built: Partial<ModuleServices> = {};
  let sinks: readonly AlertSink[] | undefined;
  let allBuilt = false;
  const alertSinks = (): readonly AlertSink[] => {
    if (!allBuilt) throw new Error('alertSinks() is known once every module is built: call it when delivering, not while building');
    if (!sinks) {
      const all = registry.flatMap((module) =>
        module.alertSinks ? [...module.alertSinks(servicesOfModule(module, built as ModuleServices))] : [],
      );
      const names = all.map((sink) => sink.name);
      const twice = names.find((name, index) => names.indexOf(name) !== index);
      if (twice !== undefined) throw new Error(`Two alert sinks are named ${twice}`);
      sinks = all;
    }
    return sinks;
  };
  const core: CoreServices = {
    config,
    logger,
    metrics,
    cache,
    now: overrides.now ?? Date.now,
    sandbox: overrides.sandbox ?? false,
    alertSinks,
  };
  for (const module of registry) {
    for (const needed of module.needs ?? []) {
      if (!(needed in built)) throw new Error(`Module ${module.name} needs ${needed}, which must be listed before it in the registry`);
    }
    buildServices(module, core, built);
  }
  // Every module of the registry is built now.
  allBuilt = true;
  const modules = built as ModuleServices;
  const servicesOf = (module: AnyModule) => servicesOfModule(module, modules);
  return {
    ...core,
    modules,
    registry,
    costs: mergeCostRules(registry.flatMap((module) => (module.costs ? [module.costs] : []))),
    contextFor(base) {
      const context = base;
      for (const module of registry) {
        if (module.context) Object.assign(context, module.context(servicesOf(module), { context, config }));
      }
      return context;
    },
    routes: (runtime) => registry.flatMap((module) => (module.routes ? [module.routes(servicesOf(module), core, runtime)] : [])),
    async ready() {
      const reports = await Promise.all(
        registry.map(async (module) => (module.ready ? ([module.name, await module.ready(servicesOf(module))] as const) : undefined)),
      );
      const present = reports.filter((report) => report !== undefined);
      return { ok: present.every(([, report]) => report.ok), checks: Object.fromEntries(present) };
    },
    start(runtime) {
      for (const module of registry) module.start?.(servicesOf(module), runtime);
    },
    async close() {
      for (const module of [...registry].reverse()) await module.close?.(servicesOf(module))?.catch(() => undefined);
      await cache.close();
    },
  };
}
