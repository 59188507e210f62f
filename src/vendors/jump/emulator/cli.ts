/**
 * Runs the Jump.Finance emulator on its own, for manual curl checks:
 *
 *   tsx src/vendors/jump/emulator/cli.ts --port 4020 --key sandbox --processing 30
 *
 * Prints only the base URL on stdout (…/services/openapi) so scripts can capture it; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startJumpEmulator } from './server.ts';

const USAGE = 'usage: cli.ts [--port 4020] [--host 127.0.0.1] [--key sandbox] [--latency 0] [--processing 30] [--no-seed]';

function nonNegativeInt(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"\n${USAGE}`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4020' },
      host: { type: 'string', default: '127.0.0.1' },
      key: { type: 'string', default: 'sandbox' },
      latency: { type: 'string', default: '0' },
      processing: { type: 'string', default: '30' },
      'no-seed': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startJumpEmulator({
    apiKey: values.key,
    host: values.host,
    port: nonNegativeInt('port', values.port),
    latencyMs: nonNegativeInt('latency', values.latency),
    processingMs: nonNegativeInt('processing', values.processing) * 1000,
    seed: !values['no-seed'],
  });
  console.log(emulator.url);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
