/**
 * npm run loadtest — sustained load against the sandbox, in-process on loopback: the bundled Kontur.Focus emulator
 * and the subgraph, driven by autocannon with a mix of CRM cards, 50-INN lists and 20-representation _entities
 * over a pool of 3000 synthetic INNs (cold at first, warmer as the run goes on).
 * LOADTEST_DURATION (seconds, default 10), LOADTEST_CONNECTIONS (default 20), LOADTEST_VENDOR_LATENCY (default 20ms).
 * A benchmark, not a test: it prints what it saw and exits non-zero only if requests failed.
 */
import { parseDuration } from '../src/config/env.ts';
import { formatReport, runLoad, startSandbox } from './load-driver.ts';

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const durationSeconds = positiveInt('LOADTEST_DURATION', 10);
const connections = positiveInt('LOADTEST_CONNECTIONS', 20);
const vendorLatencyMs = parseDuration(process.env.LOADTEST_VENDOR_LATENCY ?? '20ms');

const sandbox = await startSandbox({ vendorLatencyMs });
let failed = false;
try {
  console.log(
    `\nLoad test: ${durationSeconds} s, ${connections} connections, emulator latency ${vendorLatencyMs} ms per vendor call, ` +
      `FOCUS_MAX_CONCURRENCY ${sandbox.services.config.focus.maxConcurrency}; POST ${sandbox.url}/graphql\n`,
  );
  const report = await runLoad(sandbox, { connections, durationSeconds });
  const leaked = await sandbox.settledConnections();
  console.log(formatReport(report));
  console.log(`open subgraph connections after the run: ${leaked}\n`);
  failed = report.non2xx > 0 || report.graphqlErrors > 0 || report.autocannonErrors > 0 || report.vendor.non200 > 0;
} finally {
  await sandbox.close();
}
process.exitCode = failed ? 1 : 0;
