/**
 * Runs the Jump.Finance emulator on its own, for manual curl checks:
 *
 *   tsx src/modules/payouts/emulator/cli.ts --port 4020 --key sandbox --processing 30
 *
 * Prints only the base URL on stdout (…/services/openapi) so scripts can capture it; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { nonNegativeInt, runEmulatorCli } from '../../../vendors/emulator-support.ts';
import { startJumpEmulator } from './server.ts';

const USAGE = 'usage: cli.ts [--port 4020] [--host 127.0.0.1] [--key sandbox] [--latency 0] [--processing 30] [--no-seed]';

async function main() {
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
    return undefined;
  }
  const emulator = await startJumpEmulator({
    apiKey: values.key,
    host: values.host,
    port: nonNegativeInt('port', values.port, USAGE),
    latencyMs: nonNegativeInt('latency', values.latency, USAGE),
    processingMs: nonNegativeInt('processing', values.processing, USAGE) * 1000,
    seed: !values['no-seed'],
  });
  return emulator;
}

runEmulatorCli(main);
