/**
 * The reusable part of the load test (npm run loadtest, test/load.test.ts): start the sandbox in-process on loopback
 * (the bundled Kontur.Focus emulator plus the real HTTP subgraph, whose http.Server we keep to count its sockets),
 * drive POST /graphql with autocannon using a realistic mix of operations, count HTTP and GraphQL errors, report.
 */
import http from 'node:http';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.ts';
import { createHttpApp } from '../src/http/server.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createServices, type Services } from '../src/services.ts';
import type { FocusEmulator } from '../src/vendors/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../test/support/inns.ts';
import { startEmulator, TEST_FOCUS_KEY } from '../test/support/subgraph.ts';

// ─── Sandbox ────────────────────────────────────────────────────────────────────────────────────

export interface SandboxOptions {
  /** Delay the emulator adds per vendor call. */
  vendorLatencyMs: number;
  /** Extra environment for loadConfig (e.g. FOCUS_MAX_CONCURRENCY). */
  env?: Record<string, string>;
}

export interface Sandbox {
  /** Base URL of the subgraph, e.g. http://127.0.0.1:53211 (POST /graphql). */
  url: string;
  emulator: FocusEmulator;
  services: Services;
  httpServer: http.Server;
  /** Log lines the subgraph wrote (warn and above). */
  logs: string[];
  /** Cache reads seen by the process-wide cache (keys asked, keys answered) since the start or resetCounters(). */
  cacheReads: { keys: number; hits: number };
  /** Sockets the subgraph's HTTP server has open now. */
  openConnections(): Promise<number>;
  /**
   * Open sockets once the client side has hung up: polls for up to `graceMs` until it reaches 0, because a socket the
   * client destroyed is seen closed by the server an event-loop turn or so later.
   */
  settledConnections(graceMs?: number): Promise<number>;
  resetCounters(): void;
  close(): Promise<void>;
}

/** The emulator and the subgraph (the same wiring as test/support/subgraph.ts, keeping the http.Server). */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const emulator = await startEmulator(options.vendorLatencyMs);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({
    FOCUS_BASE_URL: emulator.url,
    FOCUS_API_KEY: TEST_FOCUS_KEY,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    CACHE_NAMESPACE: `loadtest-${process.pid}-${Math.random().toString(36).slice(2)}`,
    ...options.env,
  });
  const services = createServices(config, createLogger(config.logLevel, sink), config.focus.apiKey!, { processMetrics: false });
  await services.cache.connect();

  // Count what the cache answers, without touching src: wrap this instance's getMany.
  const cacheReads = { keys: 0, hits: 0 };
  const getMany = services.cache.getMany.bind(services.cache);
  services.cache.getMany = (async (keys: readonly string[]) => {
    const values = await getMany(keys);
    cacheReads.keys += keys.length;
    cacheReads.hits += values.filter((value) => value !== undefined).length;
    return values;
  }) as typeof services.cache.getMany;

  const { httpServer, apollo } = await createHttpApp(services);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;

  const openConnections = () =>
    new Promise<number>((resolve, reject) => httpServer.getConnections((error, count) => (error ? reject(error) : resolve(count))));

  let closed = false;
  return {
    url,
    emulator,
    services,
    httpServer,
    logs,
    cacheReads,
    openConnections,
    async settledConnections(graceMs = 2_000) {
      const deadline = Date.now() + graceMs;
      let count = await openConnections();
      while (count > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        count = await openConnections();
      }
      return count;
    },
    resetCounters() {
      cacheReads.keys = 0;
      cacheReads.hits = 0;
      emulator.resetCalls();
    },
    async close() {
      if (closed) return;
      closed = true;
      // Apollo's drain plugin closes the http.Server (idle sockets at once, busy ones after their answer).
      await apollo.stop();
      await services.close();
      await emulator.close();
    },
  };
}

// ─── The operation mix ──────────────────────────────────────────────────────────────────────────

export const CARD_QUERY = `query Card($inn: String!) {
  company(inn: $inn) {
    inn ogrn kpp shortName fullName
    status { code text date isActive }
    legalAddress { oneLine zipCode region city street house }
  }
}`;

export const LIST_QUERY = `query List($inns: [String!]!) {
  companies(inns: $inns) { inn shortName status { code } }
}`;

export const ENTITIES_QUERY = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Company { inn shortName status { code isActive } } }
}`;

export type OperationName = 'card' | 'list' | 'entities';

/** INNs each operation of the mix looks up. */
export const INNS_PER_OPERATION: Record<OperationName, number> = { card: 1, list: 50, entities: 20 };

/** The order each connection cycles through: CRM cards dominate, then lists and supergraph entity lookups. */
export const DEFAULT_MIX: readonly OperationName[] = ['card', 'card', 'list', 'card', 'entities', 'card'];

/** A small deterministic PRNG (mulberry32), so a run's INN choices are the same every time. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct INNs from the pool. */
function sample(pool: readonly string[], count: number, random: () => number): string[] {
  const picked = new Set<string>();
  while (picked.size < Math.min(count, pool.length)) picked.add(pool[Math.floor(random() * pool.length)]!);
  return [...picked];
}

function operationBody(operation: OperationName, pool: readonly string[], random: () => number): string {
  const inns = sample(pool, INNS_PER_OPERATION[operation], random);
  switch (operation) {
    case 'card':
      return JSON.stringify({ query: CARD_QUERY, variables: { inn: inns[0] } });
    case 'list':
      return JSON.stringify({ query: LIST_QUERY, variables: { inns } });
    case 'entities':
      return JSON.stringify({
        query: ENTITIES_QUERY,
        variables: { representations: inns.map((inn) => ({ __typename: 'Company', inn })) },
      });
  }
}

// ─── The run ────────────────────────────────────────────────────────────────────────────────────

export interface LoadOptions {
  connections: number;
  /** Seconds to run; ignored when `amount` is given. */
  durationSeconds?: number;
  /** Total requests to send instead of a duration. */
  amount?: number;
  /** Size of the INN pool (checksum-valid synthetic organisations). Default 3000. */
  innPoolSize?: number;
  /** PRNG seed for the INN choices. Default 1. */
  seed?: number;
  mix?: readonly OperationName[];
  /** Per-request timeout, seconds (autocannon's default is 10). */
  timeoutSeconds?: number;
}

export interface LoadReport {
  durationSeconds: number;
  connections: number;
  requestsPerSecond: { mean: number; p50: number };
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  responses: number;
  byOperation: Record<OperationName, number>;
  non2xx: number;
  /** Responses whose JSON had `errors`, or that were not JSON at all. */
  graphqlErrors: number;
  /** The first few such bodies, for diagnosis. */
  graphqlErrorSamples: string[];
  /** Autocannon's connection errors (timeouts included), timeouts alone, and body mismatches. */
  autocannonErrors: number;
  timeouts: number;
  mismatches: number;
  vendor: {
    calls: number;
    callsByMethod: Record<string, number>;
    /** Identifiers carried by all calls. */
    idsSent: number;
    /** Calls the emulator answered with a status other than 200. */
    non200: number;
  };
  /** INN lookups the answered operations asked for (one per INN per operation). */
  innLookups: number;
  cache: { reads: number; hits: number };
  /** Log lines (warn and above) the subgraph wrote during the run. */
  warnings: number;
}

export async function runLoad(sandbox: Sandbox, options: LoadOptions): Promise<LoadReport> {
  const pool = legalEntityInns(options.innPoolSize ?? 3000, 31);
  const random = mulberry32(options.seed ?? 1);
  const mix = options.mix ?? DEFAULT_MIX;
  const byOperation: Record<OperationName, number> = { card: 0, list: 0, entities: 0 };
  let responses = 0;
  let graphqlErrors = 0;
  const graphqlErrorSamples: string[] = [];
  let innLookups = 0;

  sandbox.resetCounters();
  const logsBefore = sandbox.logs.length;

  const requests: autocannon.Request[] = mix.map((operation) => ({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    setupRequest: (request: autocannon.Request) => ({ ...request, body: operationBody(operation, pool, random) }),
    onResponse: (status: number, body: string) => {
      responses++;
      byOperation[operation]++;
      if (status >= 200 && status < 300) innLookups += INNS_PER_OPERATION[operation];
      let failed: boolean;
      try {
        const parsed = JSON.parse(body) as { errors?: unknown };
        failed = parsed.errors !== undefined;
      } catch {
        failed = true;
      }
      if (failed) {
        graphqlErrors++;
        if (graphqlErrorSamples.length < 5) graphqlErrorSamples.push(`${operation} ${status}: ${body.slice(0, 500)}`);
      }
    },
  }));

  const result = await autocannon({
    url: `${sandbox.url}/graphql`,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationSeconds ?? 10 }),
    timeout: options.timeoutSeconds ?? 10,
    requests,
  });

  const calls = sandbox.emulator.calls;
  const callsByMethod: Record<string, number> = {};
  for (const call of calls) callsByMethod[call.method] = (callsByMethod[call.method] ?? 0) + 1;
  return {
    durationSeconds: result.duration,
    connections: result.connections,
    requestsPerSecond: { mean: result.requests.mean, p50: result.requests.p50 },
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    responses,
    byOperation,
    non2xx: result.non2xx,
    graphqlErrors,
    graphqlErrorSamples,
    autocannonErrors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
    vendor: {
      calls: calls.length,
      callsByMethod,
      idsSent: calls.reduce((sum, call) => sum + call.ids.length, 0),
      non200: calls.filter((call) => call.status !== 200).length,
    },
    innLookups,
    cache: { reads: sandbox.cacheReads.keys, hits: sandbox.cacheReads.hits },
    warnings: sandbox.logs.length - logsBefore,
  };
}

// ─── Report ─────────────────────────────────────────────────────────────────────────────────────

const percent = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '—');

export function formatReport(report: LoadReport): string {
  const { vendor, cache } = report;
  const methods = Object.entries(vendor.callsByMethod)
    .map(([method, count]) => `${method} ${count}`)
    .join(', ');
  const mix = Object.entries(report.byOperation)
    .map(([operation, count]) => `${operation} ${count}`)
    .join(', ');
  return [
    `duration ${report.durationSeconds} s, ${report.connections} connections, ${report.responses} responses (${mix})`,
    `requests/s      mean ${report.requestsPerSecond.mean}, p50 ${report.requestsPerSecond.p50}`,
    `latency ms      p50 ${report.latencyMs.p50}, p90 ${report.latencyMs.p90}, p99 ${report.latencyMs.p99}, max ${report.latencyMs.max}`,
    `non-2xx         ${report.non2xx}`,
    `GraphQL errors  ${report.graphqlErrors}`,
    `client errors   ${report.autocannonErrors} (timeouts ${report.timeouts}, mismatches ${report.mismatches})`,
    `vendor calls    ${vendor.calls}${methods ? ` (${methods})` : ''}, ${vendor.idsSent} INNs sent, ` +
      `${vendor.calls ? (vendor.idsSent / vendor.calls).toFixed(1) : '—'} INNs per call, ${vendor.non200} non-200`,
    `cache           ${cache.hits} hits of ${cache.reads} reads (${percent(cache.hits, cache.reads)}); ` +
      `${report.innLookups} INN lookups answered with ${vendor.idsSent} INNs fetched ` +
      `(${percent(report.innLookups - vendor.idsSent, report.innLookups)} served by cache, coalescing and dedup)`,
    `subgraph warnings logged: ${report.warnings}`,
    ...report.graphqlErrorSamples.map((sample) => `  error sample: ${sample}`),
  ].join('\n');
}
