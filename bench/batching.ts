/**
 * npm run bench — what batching and caching cost and save, against the bundled emulator.
 * For N = 1, 100, 1000 INNs, cold (never seen) and warm (cached), it prints vendor calls per operation,
 * INNs per call and latency percentiles. BENCH_LATENCY (default 50ms) is the emulator's delay per call;
 * BENCH_RUNS (default 10) the operations measured per row. A benchmark, not a test: it asserts nothing.
 */
import { parseDuration } from '../src/config/env.ts';
import { legalEntityInns } from '../test/support/inns.ts';
import { startEmulator, startSubgraph } from '../test/support/subgraph.ts';

const latencyMs = parseDuration(process.env.BENCH_LATENCY ?? '50ms');
const runs = Number(process.env.BENCH_RUNS ?? 10);
const QUERY = `query ($inns: [String!]!) { companies(inns: $inns) { inn shortName status { code } } }`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const emulator = await startEmulator(latencyMs);
const subgraph = await startSubgraph({ emulator, env: { LOG_LEVEL: 'warn' } });
const rows: string[] = [];
let seed = 40;

for (const n of [1, 100, 1000]) {
  const batches = Array.from({ length: runs }, () => legalEntityInns(n, seed++ % 100));
  for (const phase of ['cold', 'warm'] as const) {
    const durations: number[] = [];
    let calls = 0;
    let ids = 0;
    for (const inns of batches) {
      emulator.resetCalls();
      const started = performance.now();
      const result = await subgraph.gql(QUERY, { inns });
      durations.push(performance.now() - started);
      if (result.errors) throw new Error(JSON.stringify(result.errors[0]));
      calls += emulator.calls.length;
      ids += emulator.calls.reduce((sum, call) => sum + call.ids.length, 0);
    }
    durations.sort((a, b) => a - b);
    rows.push(
      [
        String(n).padStart(5),
        phase.padEnd(5),
        (calls / runs).toFixed(1).padStart(10),
        (calls ? (ids / calls).toFixed(1) : '—').padStart(13),
        ...[50, 95, 99].map((p) => percentile(durations, p).toFixed(1).padStart(8)),
      ].join('  '),
    );
  }
}

console.log(`\nKontur.Focus emulator latency ${latencyMs} ms per call; ${runs} operations per row; FOCUS_MAX_CONCURRENCY 4\n`);
console.log(['    N', 'cache', 'calls/op', 'INNs per call', '  p50 ms', '  p95 ms', '  p99 ms'].join('  '));
for (const row of rows) console.log(row);
console.log();
await subgraph.close();
await emulator.close();
