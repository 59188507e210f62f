/**
 * npm run bench (first part) — what this process costs in CPU and memory, side by side with a bare Apollo Server 5
 * on the same HTTP integration answering the same JSON from a Map (bench/servers/bare.ts).
 *
 * The subgraph and the bare server run as child processes (bench/servers/*.ts, with --expose-gc, answering CPU and
 * memory over IPC); the bundled Kontur.Focus emulator (latency 0) and the load clients run here. It prints, in one run:
 * warm companies(100) p50/p99 and the ratio to the bare server; warm company(inn) requests/s (autocannon, 10
 * connections) and the ratio; cold CPU per INN at 1,000 and 10,000 INNs (operations of 1,000) with the vendor calls
 * they made; heap and RSS after a forced GC with 100,000 cached companies and the heap per company; the measured heap
 * of the cache under CACHE_MAX_MEMORY=64mb next to the cache's own accounting.
 *
 * BENCH_SECONDS (default 5): autocannon duration per run (three runs per server); BENCH_RUNS (default 400): warm companies(100) operations
 * per server; BENCH_COMPANIES (default 100000): companies cached for the memory rows; BENCH_PARTS (default
 * warm,cold,memory): which rows to measure. A benchmark, not a test.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { innCheckDigits } from '../src/domain/identifiers.ts';
import { legalEntityInns } from '../test/support/inns.ts';
import { TEST_FOCUS_KEY, startEmulator } from '../test/support/subgraph.ts';
import { startBenchServer, type BenchServer } from './servers/spawn.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 400);
const COMPANIES = Number(process.env.BENCH_COMPANIES ?? 100_000);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'warm,cold,memory').split(','));

const WARM_LIST = `query List($inns: [String!]!) { companies(inns: $inns) { inn shortName status { code } legalAddress { oneLine } heads { fio } } }`;
const WARM_CARD = `query Card($inn: String!) { company(inn: $inn) { inn shortName } }`;
const FILL = `query Fill($inns: [String!]!) { companies(inns: $inns) { inn } }`;

const emulator = await startEmulator(0);
const subgraphEnv = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  FOCUS_BASE_URL: emulator.url,
  FOCUS_API_KEY: TEST_FOCUS_KEY,
  CACHE_URL: '',
  // Room for every company the memory rows cache and the warm-up's, as an operator would size it: the LRU preallocates
  // its index by this bound (about 45 MB at the 1,000,000 maximum, 5 MB here).
  CACHE_MAX_ENTRIES: String(COMPANIES + 20_000),
  // 10 concurrent operations of 1,000 INNs queue 10,000 lookups at once (the default bound sheds past 5,000).
  FOCUS_MAX_QUEUE: '20000',
};
const rows: Row[] = [];

interface Row {
  measure: string;
  project: string;
  bare?: string;
  ratio?: string;
  goal: string;
}

try {
  if (PARTS.has('warm')) await warmRows();
  if (PARTS.has('cold')) await coldRows();
  if (PARTS.has('memory')) await memoryRows();
} finally {
  await emulator.close();
}
printTable();

// ─── Warm: the subgraph's cache against a Map ─────────────────────────────────────────────────────────────────

async function warmRows(): Promise<void> {
  const subgraph = await startBenchServer('subgraph', subgraphEnv);
  const bare = await startBenchServer('bare', {});
  try {
    const inns = legalEntityInns(100, 11);
    const first = await subgraph.gql(WARM_LIST, { inns });
    const companies = Object.fromEntries((first.data.companies as Array<{ inn: string }>).map((company) => [company.inn, company]));
    await bare.load(companies);

    const listBody = JSON.stringify({ query: WARM_LIST, variables: { inns } });
    const [ours, theirs] = await latencies([subgraph, bare], listBody);
    const ratio = ours.p50 / theirs.p50;
    rows.push({
      measure: 'warm companies(100) p50 / p99, ms',
      project: `${ours.p50.toFixed(2)} / ${ours.p99.toFixed(2)}`,
      bare: `${theirs.p50.toFixed(2)} / ${theirs.p99.toFixed(2)}`,
      ratio: `${ratio.toFixed(2)}× (p50)`,
      goal: '≤ 1.5×',
    });

    const cardBody = JSON.stringify({ query: WARM_CARD, variables: { inn: inns[0] } });
    const [oursRps, bareRps] = await throughputs([subgraph, bare], cardBody);
    rows.push({
      measure: 'warm company(inn) requests/s, 10 connections (best of 3)',
      project: oursRps.toFixed(0),
      bare: bareRps.toFixed(0),
      ratio: `${(oursRps / bareRps).toFixed(2)}×`,
      goal: '≥ 0.8×',
    });
  } finally {
    await Promise.all([subgraph.stop(), bare.stop()]);
  }
}

/** Sequential operations, the two servers in alternating blocks (so drift of the machine hits both alike). */
async function latencies(servers: [BenchServer, BenchServer], body: string): Promise<[Percentiles, Percentiles]> {
  const samples = servers.map(() => [] as number[]);
  for (const server of servers) for (let i = 0; i < 50; i++) await server.post(body); // warm-up: JIT, connections
  for (let block = 0; block < RUNS / 50; block++) {
    for (const [index, server] of servers.entries()) {
      for (let i = 0; i < 50; i++) {
        const started = performance.now();
        await server.post(body);
        samples[index]!.push(performance.now() - started);
      }
    }
  }
  return [percentiles(samples[0]!), percentiles(samples[1]!)];
}

interface Percentiles {
  p50: number;
  p99: number;
}

function percentiles(values: number[]): Percentiles {
  values.sort((a, b) => a - b);
  const at = (p: number) => values[Math.min(values.length - 1, Math.floor(p * values.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

/**
 * Requests/s of each server, best of three runs taken in turns: the load client shares this machine's two cores with
 * the server, so a single run swings by ±20 %; turns spread the machine's drift over both, the best run is the one
 * least disturbed.
 */
async function throughputs(servers: [BenchServer, BenchServer], body: string): Promise<[number, number]> {
  for (const server of servers) await runAutocannon(server, body, 2); // warm-up: JIT, connections
  const best = [0, 0];
  for (let round = 0; round < 3; round++) {
    for (const [index, server] of servers.entries()) {
      const result = await runAutocannon(server, body, SECONDS);
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`autocannon against ${server.kind}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      best[index] = Math.max(best[index]!, result.requests.average);
    }
  }
  return [best[0]!, best[1]!];
}

function runAutocannon(server: BenchServer, body: string, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${server.url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: 10,
    duration,
  });
}

// ─── Cold: CPU of this process per INN the vendor answers ────────────────────────────────────────────────────

async function coldRows(): Promise<void> {
  const subgraph = await startBenchServer('subgraph', subgraphEnv);
  try {
    // Warm-up: JIT and pools — 3,000 INNs, so that what is measured is the steady state, not compilation.
    for (const seed of [17, 18, 20]) await subgraph.gql(WARM_LIST, { inns: legalEntityInns(1000, seed) });
    for (const [count, seed] of [
      [1_000, 21],
      [10_000, 22],
    ] as const) {
      const inns = legalEntityInns(count, seed);
      emulator.resetCalls();
      const before = await subgraph.stats(false);
      const operations = [];
      for (let at = 0; at < count; at += 1000) operations.push(subgraph.gql(WARM_LIST, { inns: inns.slice(at, at + 1000) }));
      for (const result of await Promise.all(operations)) if (result.errors) throw new Error(JSON.stringify(result.errors[0]));
      const after = await subgraph.stats(false);
      const calls = emulator.calls.length;
      rows.push({
        measure: `cold CPU per INN, ${count.toLocaleString('en')} INNs (operations of 1,000), ms`,
        project: ((after.cpuMs - before.cpuMs) / count).toFixed(3),
        goal: '≤ 0.08',
      });
      rows.push({
        measure: `  vendor calls for those ${count.toLocaleString('en')} INNs`,
        project: String(calls),
        goal: `= ⌈N/100⌉ = ${Math.ceil(count / 100)}`,
      });
    }
  } finally {
    await subgraph.stop();
  }
}

// ─── Memory: what the cache holds, after a forced GC ─────────────────────────────────────────────────────────

async function memoryRows(): Promise<void> {
  const unbounded = await fill({ CACHE_MAX_MEMORY: '4gb' });
  rows.push({
    measure: `heap per cached company (req only), bytes`,
    project: String(Math.round(unbounded.heapDelta / COMPANIES)),
    goal: '≤ 2048',
  });
  rows.push({
    measure: `RSS / heap with ${COMPANIES.toLocaleString('en')} cached companies, MB`,
    project: `${mb(unbounded.rss)} / ${mb(unbounded.heapUsed)}`,
    goal: 'RSS ≤ 350',
  });
  rows.push({
    measure: `  of which V8 heap reserved / outside the heap (buffers, code), MB`,
    project: `${mb(unbounded.heapTotal)} / ${mb(unbounded.rss - unbounded.heapTotal)}`,
    goal: '',
  });
  const bounded = await fill({ CACHE_MAX_MEMORY: '64mb' });
  rows.push({
    measure: `CACHE_MAX_MEMORY=64mb: measured heap of the cache (its own count), MB`,
    project: `${mb(bounded.heapDelta)} (${mb(bounded.accounted)}, ${bounded.entries.toLocaleString('en')} entries)`,
    goal: '≤ 80',
  });
}

async function fill(env: Record<string, string>) {
  const subgraph = await startBenchServer('subgraph', { ...subgraphEnv, ...env });
  try {
    await subgraph.gql(FILL, { inns: legalEntityInns(1000, 30) }); // warm-up: JIT, pools, the emulator's fixtures
    await subgraph.gql('query Forget { __typename }');
    const before = await subgraph.stats(true);
    for (let done = 0; done < COMPANIES; done += 2000) {
      const batch = [0, 1000].map((offset) => subgraph.gql(FILL, { inns: innsFrom(done + offset, 1000) }));
      for (const result of await Promise.all(batch)) if (result.errors) throw new Error(JSON.stringify(result.errors[0]));
    }
    emulator.resetCalls();
    const after = await subgraph.stats(true);
    const metrics = await subgraph.metrics();
    return {
      heapDelta: after.heapUsed - before.heapUsed,
      heapUsed: after.heapUsed,
      heapTotal: after.heapTotal,
      rss: after.rss,
      accounted: metricValue(metrics, 'cache_memory_bytes'),
      entries: metricValue(metrics, 'cache_entries'),
    };
  } finally {
    await subgraph.stop();
  }
}

/** `count` distinct checksum-valid organisation INNs of region 78 from the `start`-th on (none of the other rows'). */
function innsFrom(start: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const prefix = `78${String(start + i).padStart(7, '0')}`;
    return prefix + innCheckDigits(prefix);
  });
}

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function printTable(): void {
  const header: Row = { measure: 'Measure', project: 'This subgraph', bare: 'Bare Apollo Server', ratio: 'Ratio', goal: 'Goal' };
  const columns = ['measure', 'project', 'bare', 'ratio', 'goal'] as const;
  const widths = columns.map((column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)));
  const line = (row: Row) => columns.map((column, i) => (row[column] ?? '').padEnd(widths[i]!)).join('  ');
  const cpu = os.cpus();
  console.log(`\n${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, ${mb(os.totalmem())} MB, Node ${process.version}; emulator latency 0\n`);
  console.log(line(header));
  console.log(widths.map((width) => '─'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log();
}
