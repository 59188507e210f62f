/**
 * Runs the Kontur.Focus emulator on its own, e.g. for manual curl checks or tests that drive separate processes:
 *
 *   tsx src/modules/kontur-focus/emulator/cli.ts --port 4010 --key sandbox --latency 50
 *
 * Prints only the base URL on stdout (…/api3) so scripts can capture it; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { nonNegativeInt, runEmulatorCli } from '../../../vendors/emulator-support.ts';
import { startFocusEmulator } from './server.ts';

const USAGE = 'usage: cli.ts [--port 4010] [--host 127.0.0.1] [--key sandbox] [--latency 0]';

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      key: { type: 'string', default: 'sandbox' },
      latency: { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const emulator = await startFocusEmulator({
    apiKey: values.key,
    host: values.host,
    port: nonNegativeInt('port', values.port, USAGE),
    latencyMs: nonNegativeInt('latency', values.latency, USAGE),
  });
  return emulator;
}

runEmulatorCli(main);
