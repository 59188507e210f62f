/**
 * `npm run supergraph`: a supergraph to run locally — N replicas of this subgraph behind a round-robin balancer (the
 * platform's load balancer in production), the example CRM subgraph, composed and served by Hive Gateway.
 *
 *   SUPERGRAPH_REPLICAS   replicas of the counterparty subgraph (default 3)
 *   SUPERGRAPH_PORT       the gateway's port (default 4100)
 *   CACHE_URL / REDIS_URL one Redis for every replica (otherwise each caches in memory)
 *   OTEL_EXPORTER_OTLP_ENDPOINT  traces from the gateway (--opentelemetry) and the replicas
 * and everything else the subgraph reads (FOCUS_API_KEY …; none set: sandbox mode, one set of emulators for all).
 * Ctrl-C (SIGINT) or SIGTERM stops every child.
 */
import { parseArgs } from 'node:util';
import { startSupergraph, type Supergraph } from './stack.ts';

const EXAMPLE_QUERY = `{
  deals(first: 3) {
    title stage amount
    company { inn shortName status { code text } }
  }
}`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    console.error(`${name} must be a whole number ≥ 1, not "${value}"`);
    process.exit(2);
  }
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { replicas: { type: 'string' }, port: { type: 'string' } } });
  const replicas = positive('SUPERGRAPH_REPLICAS', values.replicas ?? process.env.SUPERGRAPH_REPLICAS, 3);
  const gatewayPort = positive('SUPERGRAPH_PORT', values.port ?? process.env.SUPERGRAPH_PORT, 4100);
  const cacheUrl = process.env.CACHE_URL || process.env.REDIS_URL;

  const aborted = new AbortController();
  let stack: Supergraph | undefined;
  let starting: Promise<unknown> = Promise.resolve();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the gateway, the replicas, the CRM subgraph, the balancer and the emulators…`);
    aborted.abort();
    // During start-up, the abort makes startSupergraph stop what it has started, then reject.
    await starting.catch(() => undefined);
    await stack?.stop();
    console.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // Children's output is held back until the banner, then streamed with the child's name in front.
  let streaming = false;
  console.log(`Starting ${replicas} counterparty replica(s), the CRM subgraph, the balancer and Hive Gateway…`);
  try {
    const started = startSupergraph({
      replicas,
      env: cacheUrl ? { CACHE_URL: cacheUrl } : {},
      gatewayPort,
      onOutput: (source, line) => {
        if (streaming && line.trim() !== '') console.log(`[${source}] ${line}`);
      },
      onExit: (source, how) => {
        if (!stopping) console.log(`[${source}] exited: ${how}`);
      },
      signal: aborted.signal,
    });
    starting = started;
    stack = await started;
    if (stopping) return;
  } catch (error) {
    if (stopping) return;
    console.error(`The supergraph did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const emulators = Object.entries(stack.emulators);
  const lines = [
    '',
    `  Supergraph ready: ${stack.gatewayUrl}  (Hive Gateway; open it in a browser for its GraphiQL)`,
    `  counterparty: ${replicas} replica(s) behind the round-robin balancer ${stack.balancerUrl}`,
    ...stack.replicas.map((replica, i) => `    ${i + 1}. ${replica.url}/graphql  (pid ${replica.pid})`),
    `  crm:          ${stack.crmUrl}`,
    `  cache:        ${cacheUrl ? `one Redis for all replicas (${cacheUrl})` : 'in memory, per replica (set CACHE_URL to share one Redis)'}`,
    emulators.length > 0
      ? `  SANDBOX MODE: one set of vendor emulators for every replica: ${emulators.map(([name, url]) => `${name} ${url}`).join(', ')}`
      : '  vendors: the keys in the environment',
    `  supergraph:   ${stack.supergraphFile}`,
    '',
    '  Try:',
    `  curl -s ${stack.gatewayUrl} -H 'content-type: application/json' \\`,
    `    -d '${JSON.stringify({ query: EXAMPLE_QUERY.replace(/\s+/g, ' ') })}'`,
    '',
    '  Ctrl-C stops everything. Logs follow.',
    '',
  ];
  console.log(lines.join('\n'));
  streaming = true;
}

void main();
