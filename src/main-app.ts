import { loadConfig } from './app/config.ts';
import { startSandboxes, type SandboxedConfig } from './app/sandbox.ts';
import { createServices } from './app/services.ts';
import { ConfigError } from './config/env.ts';
import { createHttpApp } from './http/server.ts';
import { createLogger } from './observability/logger.ts';
import type { Tracing } from './observability/tracing.ts';

/**
 * Start-up: configuration, the sandbox emulators, services, HTTP — all from the module registry (src/app/registry.ts).
 * Imported by src/main.ts once tracing (if any) has started; `tracing` is flushed last on shutdown.
 */
export async function main(tracing: Tracing | undefined): Promise<void> {
  const configured = loadConfig();
  const logger = createLogger(configured.logLevel);
  const sandboxed = await startSandboxes(configured, logger);
  const { config, vendors } = sandboxed;
  const services = createServices(config, logger, { sandbox: sandboxed.sandbox });
  await services.cache.connect();
  const liveMoney = services.registry.some((module) => module.vendor?.movesMoney === true && vendors[module.vendor.name] === 'live');
  const { httpServer, apollo, lifecycle, exploring, runtime } = await createHttpApp(services, { sandbox: sandboxed.sandbox, liveMoney });

  await listen(httpServer, config.port, config.host);
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, cache: services.cache.kind, sandbox: sandboxed.sandbox, env: config.env, vendors }, 'subgraph listening');
  printBanner(port, services.cache.kind, sandboxed, exploring);
  services.start(runtime);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.operation.shutdownGraceMs }, 'shutting down: finishing in-flight operations');
    lifecycle.draining = true; // /readyz answers 503 from now on
    await apollo.stop(); // drains the HTTP server: stops accepting, waits for in-flight operations up to SHUTDOWN_GRACE
    await services.close();
    await sandboxed.close();
    await tracing?.shutdown(); // the last spans (the drained operations') are exported before the process exits
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Listens, or stops with one plain line when the port is taken or not ours to take (never a stack trace). */
function listen(server: import('node:http').Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const message = listenFailure(error.code, port);
      reject(message ? new ConfigError(message) : error);
    });
    server.listen(port, host, resolve);
  });
}

/** What a new user reads when `npm start` cannot listen: the port, why, and the command to run instead. */
function listenFailure(code: string | undefined, port: number): string | undefined {
  const another = port < 65535 ? port + 1 : port - 1;
  if (code === 'EADDRINUSE')
    return `Port ${port} is in use (another subgraph or program is listening). Pick another: PORT=${another} npm start`;
  if (code === 'EACCES')
    return `Port ${port} needs privileges this process does not have (ports below 1024 usually do). Pick another: PORT=4000 npm start`;
  return undefined;
}

function printBanner(port: number, cache: string, sandboxed: SandboxedConfig, exploring: boolean): void {
  const states = Object.entries(sandboxed.vendors)
    .map(([vendor, state]) => `${sandboxed.displayNames[vendor] ?? vendor} ${state}`)
    .join(', ');
  const lines = [
    '',
    `  Counterparty subgraph ready: http://localhost:${port}/graphql${exploring ? '  (open it in a browser for GraphiQL)' : ''}`,
    `  Cache: ${cache === 'redis' ? 'Redis (CACHE_URL)' : 'in memory'}`,
    `  Vendors: ${states}`,
  ];
  if (sandboxed.sandbox) lines.push('  SANDBOX MODE: no vendor credentials are set, so nothing leaves the machine.');
  lines.push(...sandboxed.banner.map((line) => `  ${line}`));
  process.stdout.write(`${lines.join('\n')}\n\n`);
}
