import type { Router } from 'express';
import type { z } from 'zod';
import type { CacheStore } from '../cache/store.ts';
import type { GraphQLContext } from '../common/context.ts';
import type { CostRules } from '../common/cost.ts';
import type { CoreConfig } from '../config/core.ts';
import type { EnvOf } from '../config/env.ts';
import type { OperationStats } from '../loaders/operation-stats.ts';
import type { VendorName } from '../errors.ts';
import type { Resolvers } from '../generated/graphql.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

/**
 * The module contract: a domain or a vendor declares itself once — its configuration, its sandbox emulator, its
 * process-wide services, its part of every request's context, its schema files and resolvers, its vendor-cost rules,
 * its routes, its background work and its shutdown — and src/app/registry.ts lists the modules. Configuration,
 * services, context, schema and shutdown are built from that list (src/app/); nothing central names a vendor.
 *
 * Each module fills these by declaration merging in its module.ts, under its name:
 *   declare module '../contract.ts' { interface ModuleConfigs { focus: FocusConfig } interface ModuleServices { focus: FocusServices } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModuleConfigs {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModuleServices {}

export type ModuleName = keyof ModuleServices & keyof ModuleConfigs;

/** Everything configured: the core's settings, and each module's slice under its name. */
export type AppConfig = CoreConfig & ModuleConfigs;

/** What the house gives every module's services. */
export interface CoreServices {
  config: AppConfig;
  logger: Logger;
  metrics: Metrics;
  cache: CacheStore;
  /** The clock cache ages are measured with (tests pass a controllable one). */
  now: () => number;
  /** Sandbox mode: every vendor with an emulator runs on it (what a page may tell its visitor). */
  sandbox: boolean;
  /**
   * Every module's alert sinks (ModuleDefinition.alertSinks), known once all modules are built: call it when
   * delivering (a job, a queue's worker), never while building services — it throws then.
   */
  alertSinks(): readonly AlertSink[];
}

/**
 * A change about a company that one module detects (the monitoring job) and others deliver (webhooks, a CRM).
 * `id` is deterministic: the same change detected again has the same id, so a receiver deduplicates by it.
 */
export interface CompanyAlert {
  id: string;
  inn: string;
  /** What changed, e.g. STATUS_CHANGED (the detecting module's vocabulary; a sink words the ones it knows). */
  type: string;
  before: string | null;
  after: string | null;
  /** The company's short name when the change was detected. */
  companyName: string | null;
  /** ISO 8601. */
  detectedAt: string;
  /** Who saw it, e.g. `kontur-focus req/mon`. */
  source: string;
}

/**
 * Where alerts go. The detecting module delivers every alert to every sink, again after a failure (with backoff), so
 * `deliver` may see an alert more than once: it must tolerate that (the id is the same). It throws to be retried;
 * an error with `permanent: true` is not retried.
 */
export interface AlertSink {
  /** Stable and unique among the sinks (it names the sink's deliveries: queue jobs, logs, metrics); no secrets in it. */
  readonly name: string;
  deliver(alert: CompanyAlert): Promise<void>;
}

/** What a module's background work may use of the running service: the graph itself, in this process. */
export interface ModuleRuntime {
  /**
   * Runs an operation on the graph as a request would (the same loaders, cache, cost limit and OPERATION_TIMEOUT),
   * without HTTP: a job reads companies exactly as the graph's clients do.
   */
  execute<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: T | null; errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }>;
  /**
   * Runs `work` with a context made as for a request — the same per-request loaders over the process-wide cached
   * fetches, OPERATION_TIMEOUT, no caller headers — for a handler that answers from the graph's data without GraphQL
   * (a REST route). Answers its value and what it cost. `cacheOnly`: it may not pay for a vendor call
   * (OperationStats.cacheOnly); `signal`: the caller went away (whatever only it waited for is dropped unsent).
   */
  withContext<T>(
    work: (context: GraphQLContext) => Promise<T>,
    options?: { cacheOnly?: boolean; signal?: AbortSignal },
  ): Promise<{ value: T; stats: OperationStats }>;
}

/** One GraphQL request as a module's context sees it. */
export interface RequestScope {
  /** The context built so far: the core part and the parts of the modules listed earlier. */
  context: GraphQLContext;
  config: AppConfig;
}

export type VendorState = 'live' | 'sandbox' | 'not configured';

export interface SandboxDecision {
  production: boolean;
  /** Vendors with credentials of their own. */
  live: ReadonlySet<string>;
}

/** A vendor module: whether it has credentials, and the emulator that stands in for it in the sandbox. */
export interface VendorDeclaration<Slice> {
  /** The vendor as errors and metrics name it. */
  name: VendorName;
  displayName: string;
  /** Whether credentials of its own are set. */
  live(slice: Slice): boolean;
  /** It moves money: while it is live, GraphiQL and introspection are off by default in every mode. */
  movesMoney?: boolean;
  sandbox?: {
    /** Whether to start the emulator (never in production; each vendor decides the rest). */
    wanted(slice: Slice, decision: SandboxDecision): boolean;
    /** Starts it on loopback and answers the slice pointed at it. */
    start(slice: Slice, core: CoreConfig, logger: Logger): Promise<{ slice: Slice; close(): Promise<void> }>;
  };
  /** Lines of the start-up banner when it runs in the sandbox. */
  banner?: readonly string[];
  /** What the banner says when it is not configured, given every vendor's state. */
  notConfigured?(states: Readonly<Record<string, VendorState>>): string;
}

export interface ModuleDefinition<K extends ModuleName, E extends z.ZodRawShape = z.ZodRawShape> {
  name: K;
  /** Modules whose services this one reads: they must be listed before it. */
  needs?: readonly ModuleName[];
  /** Its environment variables, parsed with everyone else's so one message names every bad one. */
  env?: E;
  /** The slice from its parsed variables. */
  config(env: EnvOf<E>, core: CoreConfig): ModuleConfigs[K];
  /** Problems that need more than one variable (each naming a variable): any of them refuses the start. */
  check?(slice: ModuleConfigs[K], config: AppConfig): string[];
  vendor?: VendorDeclaration<ModuleConfigs[K]>;
  services(core: CoreServices, app: ModuleServices): ModuleServices[K];
  /** Its part of every request's context. */
  context?(services: ModuleServices[K], request: RequestScope): Partial<GraphQLContext>;
  /** Its files in schema/. */
  schema?: readonly string[];
  resolvers?: Resolvers;
  /** What its root and Company fields cost in vendor calls, for the estimate made before execution. */
  costs?: CostRules;
  /**
   * Routes outside /graphql, mounted before the router-secret guard (each authorises itself). `runtime` is the graph
   * in process, for a handler that answers from it (a CRM button): usable once the server listens.
   */
  routes?(services: ModuleServices[K], core: CoreServices, runtime: ModuleRuntime): Router;
  /** The alert sinks it offers (CoreServices.alertSinks collects them): e.g. a CRM that writes alerts down. */
  alertSinks?(services: ModuleServices[K]): readonly AlertSink[];
  /** Readiness of its own (e.g. a queue): `ok: false` makes /readyz answer 503. */
  ready?(services: ModuleServices[K]): Promise<{ ok: boolean } & Record<string, unknown>>;
  /** Background work, started once the server listens, with the running graph. */
  start?(services: ModuleServices[K], runtime: ModuleRuntime): void;
  /** Stops its background work and closes its connections (called in reverse registry order). */
  close?(services: ModuleServices[K]): Promise<void>;
}

export type AnyModule = ModuleDefinition<ModuleName, z.ZodRawShape>;

/**
 * A module's slice of the configuration, typed by the module: what its `check`, `vendor` and `context` receive.
 * Generic in the module's name, so the registry (a list of any modules) calls each module with its own slice.
 */
export function sliceOf<K extends ModuleName>(module: ModuleDefinition<K>, config: ModuleConfigs): ModuleConfigs[K] {
  return config[module.name];
}

/** Sets a module's slice (its `config()`, or the one its sandbox answers). */
export function setSlice<K extends ModuleName>(config: Partial<ModuleConfigs>, module: ModuleDefinition<K>, slice: ModuleConfigs[K]): void {
  config[module.name] = slice;
}

/** A module's services, typed by the module. */
export function servicesOfModule<K extends ModuleName>(module: ModuleDefinition<K>, services: ModuleServices): ModuleServices[K] {
  return services[module.name];
}

/** Builds a module's services over the core's and those of the modules before it, and keeps them with theirs. */
export function buildServices<K extends ModuleName>(module: ModuleDefinition<K>, core: CoreServices, built: Partial<ModuleServices>): void {
  // The modules a module needs are built before it (the registry's order, checked by the caller).
  built[module.name] = module.services(core, built as ModuleServices);
}

/** Declares a module; the identity, for types. */
export function defineModule<K extends ModuleName, E extends z.ZodRawShape>(definition: ModuleDefinition<K, E>): ModuleDefinition<K, E> {
  return definition;
}
