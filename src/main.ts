import { ConfigError } from './config/env.ts';
import { startTracing, type Tracing } from './observability/tracing.ts';

/**
 * The entry point: tracing first, then the app. The app's modules are imported only once the OpenTelemetry SDK (if an
 * OTLP endpoint is set) has registered its instrumentations: a module loaded before that (Express, GraphQL) would not
 * be patched, and static imports would all load before this file's first line runs. Nothing here imports either.
 */
async function start(): Promise<void> {
  let tracing: Tracing | undefined;
  try {
    tracing = await startTracing();
  } catch (error) {
    // Tracing is an aid, not a reason to stay down: the subgraph serves without it and says why.
    process.stderr.write(`Tracing is off, the OpenTelemetry SDK failed to start: ${(error as Error)?.message ?? String(error)}\n`);
  }
  const { main } = await import('./main-app.ts');
  await main(tracing);
}

start().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
