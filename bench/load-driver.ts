/**
 * The reusable part of the load test (npm run loadtest, test/platform/load.test.ts): start the sandbox in-process on loopback
 * (the bundled Kontur.Focus emulator plus the real HTTP subgraph, whose http.Server we keep to count its sockets),
 * drive POST /graphql with autocannon using a realistic mix of operations, count HTTP and GraphQL errors, report.
 */
import autocannon from 'autocannon';
import type { FocusEmulator } from '../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../test/support/inns.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from '../test/support/subgraph.ts';

// ─── Sandbox ────────────────────────────────────────────────────────────────────────────────────

export interface SandboxOptions {
  /** Delay the emulator adds per vendor call. */
  vendorLatencyMs: number;
  /** Extra environment for loadConfig (e.g. FOCUS_MAX_CONCURRENCY). */
  env?: Record<string, string>;
}

export interface Sandbox extends TestSubgraph {
  emulator: FocusEmulator;
  /** Cache lookups since the start or resetCounters(), from the subgraph's own metrics. */
  cacheReads(): Promise<{ keys: number; hits: number }>;
  resetCounters(): Promise<void>;
}

/** The emulator and the subgraph on loopback, with the test harness's wiring. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const emulator = await startEmulator(options.vendorLatencyMs);
  const subgraph = await startSubgraph({ emulator, env: { LOG_LEVEL: 'warn', ...options.env } });
  const lookups = async () => {
    const { values } = await subgraph.services.metrics.cacheLookups.get();
    const total = (result: string) => values.filter((value) => value.labels.result === result).reduce((sum, value) => sum + value.value, 0);
    return { keys: total('hit') + total('miss'), hits: total('hit') };
  };
  let baseline = { keys: 0, hits: 0 };
  return {
    ...subgraph,
    emulator,
    async cacheReads() {
      const now = await lookups();
      return { keys: now.keys - baseline.keys, hits: now.hits - baseline.hits };
    },
    async resetCounters() {
      baseline = await lookups();
      emulator.resetCalls();
    },
    async close() {
      await subgraph.close();
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

  await sandbox.resetCounters();
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
    cache: await sandbox.cacheReads().then((reads) => ({ reads: reads.keys, hits: reads.hits })),
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
