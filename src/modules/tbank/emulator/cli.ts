/**
 * Runs the T-Bank emulator on its own, e.g. for manual curl checks:
 *
 *   tsx src/modules/tbank/emulator/cli.ts --port 4011 --token sandbox --rate-limit 10/min --latency 50
 *
 * Prints only the base URL on stdout (…/openapi), usable as TBANK_BASE_URL with TBANK_TOKEN=<token>;
 * stops on SIGINT/SIGTERM. `--rate-limit off` disables the emulator's own rate limit.
 */
import { parseArgs } from 'node:util';
import { nonNegativeInt, runEmulatorCli } from '../../../vendors/emulator-support.ts';
import { parseRateLimit } from '../../../config/env.ts';
import { startTbankEmulator } from './server.ts';

const USAGE = 'usage: cli.ts [--port 4011] [--host 127.0.0.1] [--token sandbox] [--rate-limit 10/min|off] [--latency 0]';

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4011' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string', default: 'sandbox' },
      'rate-limit': { type: 'string', default: '10/min' },
      latency: { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const emulator = await startTbankEmulator({
    token: values.token,
    host: values.host,
    port: nonNegativeInt('port', values.port, USAGE),
    latencyMs: nonNegativeInt('latency', values.latency, USAGE),
    rateLimit: values['rate-limit'] === 'off' ? null : parseRateLimit(values['rate-limit']),
  });
  return emulator;
}

runEmulatorCli(main);
